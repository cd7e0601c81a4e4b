import type { z } from 'zod';
import type { toWebview, ToWebviewMessage } from '../../protocol/webview';

/** Sends a checked message to the chat view (dropped while the view is not showing). */
export type ChatPost = <K extends ToWebviewMessage['type']>(type: K, payload: z.input<(typeof toWebview)[K]>) => void;
