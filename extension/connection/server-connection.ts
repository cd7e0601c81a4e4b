import * as vscode from 'vscode';
import type { RestClient } from '../../protocol/client/rest-client';
import { SocketClient, type SocketState } from '../../protocol/client/socket-client';
import type { SlipwayAuthProvider } from '../auth/auth-provider';
import type { StoredSession } from '../auth/sign-in-flow';
import { describeError, isSignedOutError } from '../describe-error';
import type { Logger } from '../log';
import { serverUrl, onServerUrlChange } from '../settings';
import { restClientFor } from './rest';
import { connectWithWs } from './ws-transport';

export type ConnectionState =
  | { signedIn: false }
  | { signedIn: true; session: StoredSession; socket: SocketState };

/** Whoever is signed in, the REST client for their server and the one WebSocket to it. */
export class ServerConnection implements vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<ConnectionState>();
  readonly onDidChange = this.changed.event;
  private current: { session: StoredSession; rest: RestClient; socket: SocketClient; offState: () => void } | undefined;
  private readonly disposables: vscode.Disposable[] = [this.changed];

  constructor(private readonly auth: SlipwayAuthProvider, private readonly log: Logger) {
    this.disposables.push(
      auth.onDidChange((session) => this.use(session)),
      onServerUrlChange(() => void this.checkServerUrl()),
    );
    this.use(auth.session);
  }

  get state(): ConnectionState {
    return this.current ? { signedIn: true, session: this.current.session, socket: this.current.socket.state } : { signedIn: false };
  }

  get session(): StoredSession | undefined {
    return this.current?.session;
  }

  get socket(): SocketClient | undefined {
    return this.current?.socket;
  }

  /** Why the account was signed out without being asked (the server setting changed, the token was refused). */
  get signedOutBecause(): string | undefined {
    return this.current ? undefined : this.auth.signedOutBecause;
  }

  /** The REST client of the signed-in account; asks to sign in when there is none. */
  rest(): RestClient {
    if (!this.current) throw new Error('Sign in to a Slipway server first (run "Slipway: Sign In").');
    return this.current.rest;
  }

  /** The user-facing sentence for an error of a call to this server; ends the session on 401. */
  explain(error: unknown): string {
    const url = this.current?.session.serverUrl ?? serverUrl();
    if (isSignedOutError(error)) void this.auth.signOut({ revoke: false, reason: 'the server no longer accepts the token' });
    return describeError(error, url);
  }

  reconnect(): void {
    this.current?.socket.start();
  }

  private use(session: StoredSession | undefined): void {
    if (this.current && session && this.current.session.token === session.token) return;
    this.current?.offState();
    this.current?.socket.stop();
    this.current = undefined;
    if (session) {
      const socket = new SocketClient({
        baseUrl: session.serverUrl,
        token: () => session.token,
        connect: connectWithWs,
        onProtocolError: (message) => this.log.warn(`dropped a WebSocket frame: ${message}`),
      });
      const offState = socket.onState((state) => this.onSocketState(state));
      this.current = { session, rest: restClientFor(session.serverUrl, () => session.token), socket, offState };
      socket.start();
    } else {
      this.changed.fire(this.state);
    }
  }

  private onSocketState(state: SocketState): void {
    if (state.status === 'waiting') this.log.info(`WebSocket: ${state.reason}; retrying in ${Math.round(state.retryInMs / 100) / 10} s`);
    else this.log.info(`WebSocket: ${state.status}`);
    if (state.status === 'refused') {
      // A revoked, signed-out or expired credential (a 401, or the server closing with 4401) ends the
      // session here; the extension keeps an API token, with no refresh token to try first.
      const signedOut = isSignedOutError(state.error);
      const message = this.explain(state.error);
      this.log.error(message);
      void vscode.window.showErrorMessage(message, ...(signedOut ? ['Sign In'] : [])).then((choice) => {
        if (choice === 'Sign In') void vscode.commands.executeCommand('slipway.signIn');
      });
    }
    this.changed.fire(this.state);
  }

  /** Tokens belong to one server: pointing the setting elsewhere ends the session there. */
  private async checkServerUrl(): Promise<void> {
    const session = this.current?.session;
    if (session && session.serverUrl !== serverUrl()) {
      await this.auth.signOut({ revoke: true, reason: `the server setting changed to ${serverUrl()}` });
    }
  }

  dispose(): void {
    this.current?.socket.stop();
    for (const d of this.disposables) d.dispose();
  }
}
