import type { ConnectionStatus, ToWebviewMessage, WebviewProject, WebviewUser } from '../protocol/webview';

/** Everything the chat view renders from; changed only by `reduce` and the draft input. */
export interface ViewModel {
  user: WebviewUser | null;
  connection: ConnectionStatus;
  detail: string;
  project: WebviewProject | null;
  chat: { enabled: boolean; reason: string };
  draft: string;
}

export const initialView = (draft = ''): ViewModel => ({
  user: null,
  connection: 'signedOut',
  detail: '',
  project: null,
  chat: { enabled: false, reason: 'Loading…' },
  draft,
});

export function reduce(view: ViewModel, message: ToWebviewMessage): ViewModel {
  switch (message.type) {
    case 'session.state':
      return { ...view, user: message.payload.user, connection: message.payload.connection, detail: message.payload.detail };
    case 'project.selected':
      return { ...view, project: message.payload.project };
    case 'chat.availability':
      return { ...view, chat: message.payload };
  }
}

const CONNECTION_LABELS: Record<ConnectionStatus, string> = {
  signedOut: 'Not signed in',
  connecting: 'Connecting…',
  open: 'Connected',
  waiting: 'Reconnecting…',
  refused: 'Connection refused',
  stopped: 'Disconnected',
};

export const connectionLabel = (status: ConnectionStatus): string => CONNECTION_LABELS[status];

/** `Running`, `Error: no space left` … */
export function projectStatusLabel(project: WebviewProject): string {
  const status = project.status.charAt(0) + project.status.slice(1).toLowerCase();
  return project.status === 'ERROR' && project.statusMessage ? `${status}: ${project.statusMessage}` : status;
}
