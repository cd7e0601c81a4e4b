import * as vscode from 'vscode';
import { registerCommand } from '../commands';
import { describeError } from '../describe-error';
import type { ServerConnection } from '../connection/server-connection';
import type { Logger } from '../log';
import { serverUrl } from '../settings';
import type { SlipwayAuthProvider } from './auth-provider';

/** `Slipway: Sign In` (paste a token) and `Slipway: Sign Out` (revokes this VS Code's API token). */
export function registerAuthCommands(auth: SlipwayAuthProvider, connection: ServerConnection, log: Logger & { show(): void }): vscode.Disposable[] {
  const errors = { log, explain: (e: unknown) => connection.explain(e) };
  return [
    registerCommand('slipway.signIn', async () => {
      const session = await auth.createSession();
      void vscode.window.showInformationMessage(`Signed in to Slipway as ${session.account.label}.`);
    }, { log, explain: (e) => describeError(e, serverUrl()) }),
    registerCommand('slipway.signOut', async () => {
      const session = auth.session;
      if (!session) return void vscode.window.showInformationMessage('You are not signed in to Slipway.');
      await auth.signOut({ revoke: true });
      void vscode.window.showInformationMessage(`Signed out of Slipway at ${session.serverUrl}.`);
    }, errors),
    registerCommand('slipway.reconnect', () => connection.reconnect(), errors),
    registerCommand('slipway.showLog', () => log.show(), errors),
  ];
}
