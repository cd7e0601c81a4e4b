import type { Project } from '../../protocol/rest/projects';
import type { ConnectionStatus, WebviewProject } from '../../protocol/webview';
import type { ConnectionState } from '../connection/server-connection';
import { describeError } from '../describe-error';

/** The `session.state` payload for a connection state. */
export function sessionForWebview(state: ConnectionState, signedOutBecause?: string): { user: { name: string; email: string; serverUrl: string } | null; connection: ConnectionStatus; detail: string } {
  if (!state.signedIn) return { user: null, connection: 'signedOut', detail: (signedOutBecause ?? '').slice(0, 2000) };
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

/** Whether the chat input can be used: signed in, connected, a running project selected. */
export function chatAvailability(state: ConnectionState, project: Project | undefined): { enabled: boolean; reason: string } {
  if (!state.signedIn) return { enabled: false, reason: 'Sign in to chat.' };
  if (state.socket.status !== 'open') return { enabled: false, reason: 'Connecting to the Slipway server…' };
  if (!project) return { enabled: false, reason: 'Pick a project to chat about.' };
  if (project.status !== 'RUNNING') return { enabled: false, reason: `The project is ${project.status.toLowerCase()}; the agent works on a running project.` };
  return { enabled: true, reason: '' };
}
