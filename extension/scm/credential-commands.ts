import * as vscode from 'vscode';
import { GitHost } from '../../protocol/rest/git';
import { registerCommand, required, withProgress } from '../commands';
import type { ServerConnection } from '../connection/server-connection';
import type { Logger } from '../log';

/** Your own Git credentials on the server: a token per host, and the SSH public key to paste into a Git host. */
export function registerCredentialCommands(connection: ServerConnection, log: Logger): vscode.Disposable[] {
  const errors = { log, explain: (e: unknown) => connection.explain(e) };
  return [
    registerCommand('slipway.git.setToken', async (host?: unknown) => {
      const rest = connection.rest();
      const chosen = required(await vscode.window.showInputBox({
        title: 'Set Git Token (1/3): host', prompt: 'The Git host the token is for, e.g. github.com or git.example.com:8443',
        value: typeof host === 'string' ? host : 'github.com',
        validateInput: (v) => (GitHost.safeParse(v).success ? undefined : 'A host name, optionally with :port'),
      }));
      const username = required(await vscode.window.showInputBox({
        title: 'Set Git Token (2/3): user name', prompt: 'Your user name on that host (most hosts accept any name with a token)', value: 'x-access-token',
      }));
      const token = required(await vscode.window.showInputBox({
        title: 'Set Git Token (3/3): personal access token', prompt: 'Stored encrypted on the Slipway server, used only for your own git commands', password: true, ignoreFocusOut: true,
        validateInput: (v) => (v.trim() ? undefined : 'Paste the token'),
      }));
      const saved = await withProgress('Saving the token…', () => rest('git.tokens.put', { params: { host: chosen }, body: { token: token.trim(), username: username.trim() || 'x-access-token' } }));
      void vscode.window.showInformationMessage(`Your Git token for ${saved.host} is set.`);
    }, errors),
    registerCommand('slipway.git.removeToken', async () => {
      const rest = connection.rest();
      const { items } = await rest('git.tokens.list', {});
      if (!items.length) return void vscode.window.showInformationMessage('You have no Git tokens set.');
      const picked = required(await vscode.window.showQuickPick(items.map((i) => ({ label: i.host, description: i.username, host: i.host })), { title: 'Remove your token for which host?' }));
      await rest('git.tokens.delete', { params: { host: picked.host } });
      void vscode.window.showInformationMessage(`Your Git token for ${picked.host} is removed.`);
    }, errors),
    registerCommand('slipway.git.showSshKey', async () => {
      const key = await withProgress('Loading your SSH key…', () => connection.rest()('git.sshKey.get', {}));
      const choice = await vscode.window.showInformationMessage(
        `Your SSH public key (${key.fingerprint}). Add it to your Git host's SSH keys to clone and push git@… URLs.`,
        { modal: true, detail: key.publicKey }, 'Copy Public Key');
      if (choice === 'Copy Public Key') await vscode.env.clipboard.writeText(key.publicKey);
    }, errors),
  ];
}
