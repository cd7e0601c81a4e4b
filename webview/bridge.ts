import type { z } from 'zod';
import { fromWebview, makeMessage, parseToWebview, type ToWebviewMessage } from '../protocol/webview';
import type { VsCodeApi } from './vscode-api';

export type Post = <K extends keyof typeof fromWebview & string>(type: K, payload: z.input<(typeof fromWebview)[K]>) => void;

/**
 * The webview's end of the postMessage contract: outgoing messages are built and checked against the
 * map; incoming ones are validated, and anything else is reported to the extension's log and dropped.
 */
export function connectBridge(api: VsCodeApi, target: Window, onMessage: (message: ToWebviewMessage) => void): Post {
  const post: Post = (type, payload) => api.postMessage(makeMessage(fromWebview, type, payload));
  target.addEventListener('message', (event: MessageEvent<unknown>) => {
    const parsed = parseToWebview(event.data);
    if (parsed.ok) onMessage(parsed.message);
    else post('log', { level: 'warn', message: `webview dropped a message: ${parsed.error}`.slice(0, 4000) });
  });
  return post;
}
