import { readWebviewState } from '../protocol/webview';
import { connectBridge } from './bridge';
import { ChatViewRenderer } from './render';
import { restoreTranscript, saveState } from './saved-state';
import { initialView, reduce, type ViewModel } from './view-model';
import { vscodeApi } from './vscode-api';
import './style.css';

const api = vscodeApi();
const saved = readWebviewState(api.getState());
let view: ViewModel = { ...initialView(saved.draft, saved.attachments, saved.mode), transcript: restoreTranscript(saved.chat) };
const root = document.getElementById('root');
if (!root) throw new Error('the chat view page has no #root');

const update = (next: ViewModel) => {
  view = next;
  saveState(api, view);
  renderer.render(view);
};
const renderer = new ChatViewRenderer(root, {
  run: (command) => post('command.run', { command }),
  draftChanged: (draft) => {
    view = { ...view, draft };
    saveState(api, view);
  },
  send: (text, attachments, mode, plan) => {
    update({ ...view, failure: null });
    post('chat.send', { text, attachments, mode, ...(plan && { plan }) });
  },
  newChat: () => post('chat.new', {}),
  compact: () => post('chat.compact', {}),
  checkpoint: (message) => post('chat.checkpoint', message ? { message } : {}),
  setModel: (modelId) => post('chat.setModel', { modelId }),
  listMentions: () => post('mention.list', {}),
  attachmentsChanged: (attachments) => {
    view = { ...view, attachments };
    saveState(api, view);
  },
  modeChanged: (mode) => {
    view = { ...view, mode };
    saveState(api, view);
  },
  attachFailed: (message) => update({ ...view, failure: message }),
  cancel: () => post('chat.cancel', {}),
  resume: () => post('chat.resume', {}),
  approve: (approvalId, approved, remember) => post('chat.approve', { approvalId, approved, remember }),
  openDiff: (item) => post('chat.openDiff', { path: item.path, kind: item.change, diff: item.diff }),
  undoFiles: (checkpointId, paths) => post('chat.undoFiles', { checkpointId, paths }),
  keep: (key) => renderer.keep(key),
  changeModel: () => post('command.run', { command: 'setTeamModel' }),
  openPreview: (port) => post('chat.openPreview', { port }),
  copyCode: (text) => post('chat.copyCode', { text }),
  insertCode: (text) => post('chat.insertCode', { text }),
}, view.draft, view.attachments, view.mode);
renderer.render(view);
// Messages arrive only after `ready`, when the renderer exists.
const post = connectBridge(api, window, (message) => {
  if (message.type === 'mention.items') return renderer.mentionItems(message.payload.items);
  if (message.type === 'composer.attach') return renderer.attach(message.payload.attachments, message.payload.text);
  update(reduce(view, message));
});
window.addEventListener('error', (event) => post('log', { level: 'error', message: String(event.message).slice(0, 4000) }));
post('ready', { chatId: view.transcript.chatId, lastSeq: view.transcript.lastSeq });
renderer.focus();
