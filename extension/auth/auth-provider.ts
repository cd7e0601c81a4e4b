import { hostname } from 'node:os';
import * as vscode from 'vscode';
import { restClientFor } from '../connection/rest';
import type { Logger } from '../log';
import { serverUrl } from '../settings';
import type { SessionStore } from './session-store';
import { revokeSession, signInWithToken, type StoredSession } from './sign-in-flow';

export const AUTH_PROVIDER_ID = 'slipway';

/**
 * Slipway accounts in VS Code's Accounts menu. One account per window at a time: a personal API token
 * kept in SecretStorage. Interactive sign-in asks for a token to paste; the URI handler passes one in.
 */
export class SlipwayAuthProvider implements vscode.AuthenticationProvider, vscode.Disposable {
  private readonly sessionsChanged = new vscode.EventEmitter<vscode.AuthenticationProviderAuthenticationSessionsChangeEvent>();
  readonly onDidChangeSessions = this.sessionsChanged.event;
  private readonly changed = new vscode.EventEmitter<StoredSession | undefined>();
  /** The signed-in account changed (signed in, out, or in another window). */
  readonly onDidChange = this.changed.event;
  private current: StoredSession | undefined;
  private readonly disposables: vscode.Disposable[] = [];

  constructor(private readonly store: SessionStore, private readonly log: Logger) {
    this.disposables.push(
      vscode.authentication.registerAuthenticationProvider(AUTH_PROVIDER_ID, 'Slipway', this, { supportsMultipleAccounts: false }),
      store.onDidChange(() => void this.reload()),
      this.sessionsChanged, this.changed,
    );
  }

  get session(): StoredSession | undefined {
    return this.current;
  }

  /** Reads the stored session (at start, and when another window changed it). */
  async reload(): Promise<void> {
    const before = this.current;
    this.current = await this.store.get();
    if (before?.token === this.current?.token) return;
    this.announce(before, this.current);
  }

  async getSessions(): Promise<vscode.AuthenticationSession[]> {
    return this.current ? [toAuthSession(this.current)] : [];
  }

  /** From the Accounts menu or `Slipway: Sign In`: asks for a token to paste. */
  async createSession(): Promise<vscode.AuthenticationSession> {
    const url = serverUrl();
    const token = await vscode.window.showInputBox({
      title: `Sign in to Slipway at ${url}`,
      prompt: 'Paste a personal API token (slp_pat_…) or the one-time sign-in token the server printed (slp_sit_…)',
      placeHolder: 'slp_sit_… or slp_pat_…',
      password: true,
      ignoreFocusOut: true,
    });
    if (!token) throw new vscode.CancellationError();
    return toAuthSession(await this.signIn(url, token));
  }

  /** Trades the token for a stored session on `url`, replacing any account signed in before. */
  async signIn(url: string, token: string): Promise<StoredSession> {
    const session = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: `Signing in to Slipway at ${url}…` },
      () => signInWithToken(restClientFor(url), url, token, `VS Code on ${hostname()}`),
    );
    const before = this.current;
    if (before && before.token !== session.token) await this.revokeQuietly(before);
    this.current = session;
    this.signedOutBecause = undefined;
    await this.store.set(session);
    this.log.info(`signed in to ${url} as ${session.user.email}`);
    this.announce(before, session);
    return session;
  }

  async removeSession(): Promise<void> {
    await this.signOut({ revoke: true });
  }

  /** Why the last sign-out happened when the user did not ask for it (shown where they look next). */
  signedOutBecause: string | undefined;

  /**
   * Forgets the account; with `revoke`, also revokes its API token on the server (best effort).
   * With a `reason` (the user did not ask), says what happened, with the way back.
   */
  async signOut(options: { revoke: boolean; reason?: string }): Promise<void> {
    const before = this.current;
    if (!before) return;
    this.current = undefined;
    this.signedOutBecause = options.reason && `Signed out of ${before.serverUrl}: ${options.reason}.`;
    if (this.signedOutBecause) {
      void vscode.window.showWarningMessage(`Slipway: ${this.signedOutBecause}`, 'Sign In').then((answer) => answer && vscode.commands.executeCommand('slipway.signIn'));
    }
    await this.store.clear();
    if (options.revoke) await this.revokeQuietly(before);
    this.log.info(`signed out of ${before.serverUrl}${options.reason ? `: ${options.reason}` : ''}`);
    this.announce(before, undefined);
  }

  private async revokeQuietly(session: StoredSession): Promise<void> {
    try {
      await revokeSession(restClientFor(session.serverUrl), session);
    } catch (error) {
      this.log.warn(`could not revoke the API token on ${session.serverUrl}: ${String(error)}`);
    }
  }

  private announce(before: StoredSession | undefined, after: StoredSession | undefined): void {
    this.sessionsChanged.fire({
      added: after && !before ? [toAuthSession(after)] : [],
      removed: before && !after ? [toAuthSession(before)] : [],
      changed: before && after ? [toAuthSession(after)] : [],
    });
    this.changed.fire(after);
  }

  dispose(): void {
    for (const d of this.disposables) d.dispose();
  }
}

function toAuthSession(session: StoredSession): vscode.AuthenticationSession {
  return {
    id: session.tokenId ?? session.user.id,
    accessToken: session.token,
    account: { id: session.user.id, label: session.user.email },
    scopes: [],
  };
}
