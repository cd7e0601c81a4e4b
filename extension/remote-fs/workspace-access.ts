import * as vscode from 'vscode';
import type { SocketClient } from '../../protocol/client/socket-client';
import type { ServerConnection } from '../connection/server-connection';
import { restClientFor } from '../connection/rest';
import { WorkspaceClient } from './workspace-client';

/**
 * The workspace client of whoever is signed in, made again when the account (and so the socket)
 * changes; `onDidChangeSocket` tells watchers and terminals to start over on the new one.
 */
export class WorkspaceAccess implements vscode.Disposable {
  private current: { socket: SocketClient; client: WorkspaceClient } | undefined;
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeSocket = this.changed.event;
  private readonly subscription: vscode.Disposable;

  /**
   * `ready`: the stored session has been read (at activation). File operations wait for it, so a
   * window whose folder is a project does not fail before the account is known.
   */
  constructor(private readonly connection: ServerConnection, readonly ready: Promise<unknown> = Promise.resolve()) {
    this.subscription = connection.onDidChange(() => {
      if (this.connection.socket !== this.current?.socket) {
        this.current = undefined;
        this.changed.fire();
      }
    });
  }

  get socket(): SocketClient | undefined {
    return this.connection.socket;
  }

  /** Throws (as Unavailable, through the callers' mapping) when nobody is signed in. */
  client(): WorkspaceClient {
    const socket = this.connection.socket;
    const session = this.connection.session;
    if (!socket || !session) {
      const why = this.connection.signedOutBecause;
      throw vscode.FileSystemError.Unavailable(`${why ? `${why} ` : ''}Sign in to Slipway to open project files (run "Slipway: Sign In").`);
    }
    if (this.current?.socket !== socket) {
      this.current = { socket, client: new WorkspaceClient(socket, restClientFor(session.serverUrl, () => session.token)) };
    }
    return this.current.client;
  }

  dispose(): void {
    this.subscription.dispose();
    this.changed.dispose();
  }
}
