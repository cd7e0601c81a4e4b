import type { AgentMode } from '../protocol/chat';
import type { ModelOption } from '../protocol/chat-models';
import type { ConnectionStatus, ToWebviewMessage, WebviewChat, WebviewProject, WebviewUser } from '../protocol/webview';
import type { ChatAttachment } from '../protocol/chat-context';
import { applyEvents, emptyTranscript, type Transcript } from './transcript';

/** Everything the chat view renders from; changed only by `reduce` and the draft input. */
export interface ViewModel {
  user: WebviewUser | null;
  connection: ConnectionStatus;
  detail: string;
  project: WebviewProject | null;
  chat: { enabled: boolean; reason: string };
  draft: string;
  /** What goes with the draft (the input's chips). */
  attachments: ChatAttachment[];
  /** The input's Act | Plan switch (saved with the draft). */
  mode: AgentMode;
  /** The selected project's chats, newest first. */
  history: WebviewChat[];
  openChat: WebviewChat | null;
  transcript: Transcript;
  /** The last request of the view that failed, until the next one. */
  failure: string | null;
  /** The model of the project's team, as a line of text. */
  teamModel: { teamId: string | null; label: string };
  /** The models the chat can choose and its choice (null: the team's default). */
  models: { list: ModelOption[]; selected: string | null };
}

export const initialView = (draft = '', attachments: ChatAttachment[] = [], mode: AgentMode = 'act'): ViewModel => ({
  user: null,
  connection: 'signedOut',
  detail: '',
  project: null,
  chat: { enabled: false, reason: 'Loading…' },
  draft,
  attachments,
  mode,
  history: [],
  openChat: null,
  transcript: emptyTranscript(),
  failure: null,
  teamModel: { teamId: null, label: '' },
  models: { list: [], selected: null },
});

export function reduce(view: ViewModel, message: ToWebviewMessage): ViewModel {
  switch (message.type) {
    case 'session.state': {
      const { user, connection, detail } = message.payload;
      // Signed out: the old conversation goes away with the account (the view says why instead).
      if (!user) return { ...view, user, connection, detail, openChat: null, history: [], transcript: emptyTranscript(), failure: null };
      return { ...view, user, connection, detail };
    }
    case 'project.selected':
      return { ...view, project: message.payload.project };
    case 'chat.availability':
      return { ...view, chat: message.payload };
    case 'chat.history':
      return message.payload.projectId === view.project?.id ? { ...view, history: message.payload.chats } : view;
    case 'chat.opened': {
      const { chat, fromSeq } = message.payload;
      const keep = chat !== null && chat.id === view.transcript.chatId && fromSeq > 0;
      return { ...view, openChat: chat, failure: null, transcript: keep ? view.transcript : emptyTranscript(chat?.id ?? null) };
    }
    case 'chat.events':
      if (message.payload.chatId !== view.transcript.chatId) return view;
      return { ...view, transcript: applyEvents(view.transcript, message.payload.events) };
    case 'chat.failed':
      return { ...view, failure: message.payload.message };
    case 'model.state':
      return { ...view, teamModel: message.payload };
    case 'chat.models':
      return { ...view, models: { list: message.payload.models, selected: message.payload.selected } };
    // The composer's own business (main.ts hands them to it).
    case 'mention.items':
    case 'composer.attach':
      return view;
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
