import type { WebviewState } from '../protocol/webview';
import { applyEvents, emptyTranscript, type Transcript } from './transcript';
import type { ViewModel } from './view-model';
import type { VsCodeApi } from './vscode-api';

/** Above this many (merged) events the view saves only the draft; a reload then replays the chat. */
const MAX_SAVED_EVENTS = 4000;

/** What the view saves with setState: the draft and the open chat's events, to resume after them. */
export function stateToSave(view: ViewModel): WebviewState {
  const t = view.transcript;
  const chat = t.chatId && view.project && t.events.length <= MAX_SAVED_EVENTS ? { chatId: t.chatId, projectId: view.project.id, events: t.events } : null;
  return { draft: view.draft, attachments: view.attachments, mode: view.mode, chat };
}

export function saveState(api: VsCodeApi, view: ViewModel): void {
  api.setState(stateToSave(view));
}

/** The transcript a saved state holds (folded again from its events). */
export function restoreTranscript(saved: WebviewState['chat']): Transcript {
  if (!saved) return emptyTranscript();
  return applyEvents(emptyTranscript(saved.chatId), saved.events);
}
