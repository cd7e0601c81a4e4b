import * as vscode from 'vscode';
import type { ConnectionState, ServerConnection } from './connection/server-connection';
import { describeError } from './describe-error';

/** One status bar item: signed in or not, and whether the live connection is up. */
export class StatusBar implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('slipway.status', vscode.StatusBarAlignment.Left, 50);
  private readonly off: vscode.Disposable;

  constructor(connection: ServerConnection) {
    this.item.name = 'Slipway';
    this.off = connection.onDidChange((state) => this.render(state));
    this.render(connection.state);
    this.item.show();
  }

  private render(state: ConnectionState): void {
    const item = this.item;
    item.backgroundColor = undefined;
    if (!state.signedIn) {
      item.text = '$(account) Slipway: Sign In';
      item.tooltip = 'Not signed in to a Slipway server';
      item.command = 'slipway.signIn';
      return;
    }
    const who = `${state.session.user.email} on ${state.session.serverUrl}`;
    const socket = state.socket;
    item.command = socket.status === 'open' ? 'slipway.showLog' : 'slipway.reconnect';
    if (socket.status === 'open') {
      item.text = '$(cloud) Slipway';
      item.tooltip = `Connected: ${who}`;
    } else if (socket.status === 'connecting') {
      item.text = '$(sync~spin) Slipway';
      item.tooltip = `Connecting: ${who}`;
    } else if (socket.status === 'waiting') {
      item.text = '$(debug-disconnect) Slipway';
      item.tooltip = `Disconnected (${socket.reason}); retrying in ${Math.ceil(socket.retryInMs / 1000)} s. Click to retry now.\n${who}`;
    } else if (socket.status === 'refused') {
      item.text = '$(error) Slipway';
      item.tooltip = describeError(socket.error, state.session.serverUrl);
      item.backgroundColor = new vscode.ThemeColor('statusBarItem.errorBackground');
    } else {
      item.text = '$(circle-slash) Slipway';
      item.tooltip = `Not connected: ${who}`;
    }
  }

  dispose(): void {
    this.off.dispose();
    this.item.dispose();
  }
}
