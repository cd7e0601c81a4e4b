import { readWebviewState } from '../protocol/webview';
import { connectBridge } from './bridge';
import { registerComponents } from './components';
import { ChatViewRenderer } from './render';
import { initialView, reduce } from './view-model';
import { vscodeApi } from './vscode-api';
import './style.css';

registerComponents();
const api = vscodeApi();
let view = initialView(readWebviewState(api.getState()).draft);
const root = document.getElementById('root');
if (!root) throw new Error('the chat view page has no #root');

const renderer = new ChatViewRenderer(root, {
  run: (command) => post('command.run', { command }),
  draftChanged: (draft) => {
    view = { ...view, draft };
    api.setState(readWebviewState({ draft }));
  },
}, view.draft);
renderer.render(view);
// Messages arrive only after `ready`, when the renderer exists.
const post = connectBridge(api, window, (message) => {
  view = reduce(view, message);
  renderer.render(view);
});
window.addEventListener('error', (event) => post('log', { level: 'error', message: String(event.message).slice(0, 4000) }));
post('ready', {});
