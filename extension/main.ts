import * as vscode from 'vscode';
import { registerAuthCommands } from './auth/auth-commands';
import { SlipwayAuthProvider } from './auth/auth-provider';
import { SessionStore } from './auth/session-store';
import { SignInUriHandler } from './auth/uri-handler';
import { registerChatFeatures } from './chat/chat-features';
import { ServerConnection } from './connection/server-connection';
import { trackContextKeys } from './context-keys';
import { ProjectsView } from './projects/projects-view';
import { ProjectSelection } from './projects/selection';
import { registerRemoteFeatures } from './remote-features';
import { registerSourceControl } from './scm/scm-features';
import { StatusBar } from './status-bar';
import { registerInvitations } from './teams/invitations';

/**
 * Wires the pieces together; each one owns its own listeners and is disposed with the extension.
 * Nothing is awaited before the `slipway:` file system is registered: a window whose folder is a
 * project (after "Open Project Files" or a reload) resolves it as soon as the extension activates.
 */
export async function activate(context: vscode.ExtensionContext): Promise<void> {
  const log = vscode.window.createOutputChannel('Slipway', { log: true });
  const store = new SessionStore(context.secrets);
  const auth = new SlipwayAuthProvider(store, log);
  context.subscriptions.push(log, store, auth);
  const signedIn = auth.reload();
  const connection = new ServerConnection(auth, log);
  const selection = new ProjectSelection(context.workspaceState);
  const projects = new ProjectsView(connection, selection, log);
  context.subscriptions.push(
    connection,
    selection,
    projects,
    new StatusBar(connection),
    ...registerChatFeatures(context.extensionUri, { connection, model: projects.model, selection, log }),
    vscode.window.registerUriHandler(new SignInUriHandler(auth, log)),
    trackContextKeys(connection),
    ...registerAuthCommands(auth, connection, log),
    ...registerRemoteFeatures({ connection, model: projects.model, selection, log, context, ready: signedIn }),
    ...registerInvitations(connection, log),
    ...registerSourceControl({ connection, model: projects.model, log }),
  );
  await signedIn;
  log.info(`Slipway ${context.extension.packageJSON.version as string} active; server setting ${vscode.workspace.getConfiguration('slipway').get<string>('serverUrl')}`);
}

export function deactivate(): void {}
