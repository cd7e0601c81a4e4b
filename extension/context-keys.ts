import * as vscode from 'vscode';
import type { ServerConnection } from './connection/server-connection';

/** `slipway.signedIn` and `slipway.connected` for `when` clauses (welcome content, menus). */
export function trackContextKeys(connection: ServerConnection): vscode.Disposable {
  const update = () => {
    const state = connection.state;
    void vscode.commands.executeCommand('setContext', 'slipway.signedIn', state.signedIn);
    void vscode.commands.executeCommand('setContext', 'slipway.connected', state.signedIn && state.socket.status === 'open');
  };
  update();
  return connection.onDidChange(update);
}
