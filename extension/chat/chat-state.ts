import type { Project } from '../../protocol/rest/projects';
import type { ConnectionStatus, WebviewProject } from '../../protocol/webview';
import type { ConnectionState } from '../connection/server-connection';
import { describeError } from '../describe-error';

/** The `session.state` payload for a connection state. */
export function sessionForWebview(state: ConnectionState): { user: { name: string; email: string; serverUrl: string } | null; connection: ConnectionStatus; detail: string } {
  if (!state.signedIn) return { user: null, connection: 'signedOut', detail: '' };
  const { user, serverUrl } = state.session;
  const socket = state.socket;
  const detail =
    socket.status === 'waiting' ? socket.reason : socket.status === 'refused' ? describeError(socket.error, serverUrl) : '';
  return { user: { name: user.name, email: user.email, serverUrl }, connection: socket.status, detail };
}

export function projectForWebview(project: Project | undefined): WebviewProject | null {
  if (!project) return null;
  const { id, name, slug, status, statusMessage } = project;
  return { id, name, slug, status, statusMessage };
}

/** The chat input stays off until the agent arrives on the server. */
export function chatAvailability(state: ConnectionState): { enabled: boolean; reason: string } {
  if (!state.signedIn) return { enabled: false, reason: 'Sign in to chat.' };
  return { enabled: false, reason: 'Chat arrives with the agent.' };
}
