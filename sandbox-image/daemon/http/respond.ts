import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ErrorInfo } from '../../../protocol/errors';
import { errorStatus } from '../../../protocol/errors';

export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': String(Buffer.byteLength(text)),
    'cache-control': 'no-store',
    ...headers,
  });
  res.end(text);
}

/**
 * Answers `{error}` with the code's status. With `abandon`, the request body is not wanted: the
 * rest of it is discarded and the connection closed afterwards, so the next request starts clean.
 */
export function sendError(req: IncomingMessage, res: ServerResponse, error: ErrorInfo, options: { status?: number; abandon?: boolean } = {}): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  const headers: Record<string, string> = options.abandon ? { connection: 'close' } : {};
  if (options.abandon && !req.readableEnded) req.resume();
  sendJson(res, options.status ?? errorStatus[error.code], { error }, headers);
}

export const UNAUTHORIZED: ErrorInfo = { code: 'unauthorized', message: 'unauthorized' };
