import * as vscode from 'vscode';
import { normalizeServerUrl } from './server-url';

export const DEFAULT_SERVER_URL = 'http://127.0.0.1:7777';

/** The `slipway.serverUrl` setting, without a trailing slash. */
export function serverUrl(): string {
  const value = vscode.workspace.getConfiguration('slipway').get<string>('serverUrl') || DEFAULT_SERVER_URL;
  return normalizeServerUrl(value) ?? DEFAULT_SERVER_URL;
}

export async function setServerUrl(url: string): Promise<void> {
  await vscode.workspace.getConfiguration('slipway').update('serverUrl', url, vscode.ConfigurationTarget.Global);
}

export function onServerUrlChange(listener: () => void): vscode.Disposable {
  return vscode.workspace.onDidChangeConfiguration((e) => {
    if (e.affectsConfiguration('slipway.serverUrl')) listener();
  });
}
