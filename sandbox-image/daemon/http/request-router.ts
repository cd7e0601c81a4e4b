import type { IncomingMessage, ServerResponse } from 'node:http';
import { DAEMON_PROTOCOL_VERSION } from '../../../protocol/daemon/methods';
import { FILES_PATH, MAX_RPC_BODY_BYTES } from '../../../protocol/daemon/files';
import { errorStatus } from '../../../protocol/errors';
import { PROTOCOL_HEADER } from '../../../protocol/version';
import { dispatch } from '../rpc/dispatch';
import type { Outcome } from '../rpc/dispatch';
import type { HandlerMap } from '../rpc/handler';
import { toErrorInfo } from '../rpc/daemon-error';
import { readJsonBody } from './json-body';
import { sendError, sendJson, UNAUTHORIZED } from './respond';

export type FilesRoute = (req: IncomingMessage, res: ServerResponse, url: URL) => Promise<void>;

export interface RouterDeps {
  authorized(header: string | undefined): boolean;
  handlers: HandlerMap;
  files: FilesRoute;
}

/** Checks a request's token and protocol version: null when admitted, else the refusal to send. */
export function admit(req: IncomingMessage, authorized: RouterDeps['authorized']): { status: number; body: unknown } | null {
  if (!authorized(req.headers.authorization)) return { status: 401, body: { error: UNAUTHORIZED } };
  const version = req.headers[PROTOCOL_HEADER];
  if (version !== undefined && version !== String(DAEMON_PROTOCOL_VERSION)) {
    return { status: 426, body: { error: { code: 'unsupported_protocol', message: `this daemon speaks protocol ${DAEMON_PROTOCOL_VERSION}` } } };
  }
  return null;
}

/**
 *   POST /rpc/<method>   JSON params in, JSON result (200) or {error} out
 *   GET  /health         the `health` method
 *   GET|PUT /files       raw file bytes (fs capability)
 */
export function requestRouter(deps: RouterDeps) {
  return async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    try {
      const refused = admit(req, deps.authorized);
      if (refused) {
        if (!req.readableEnded) req.resume();
        return sendJson(res, refused.status, refused.body, { connection: 'close' });
      }
      const url = new URL(req.url ?? '/', 'http://daemon');
      if (url.pathname.startsWith('/rpc/') && req.method === 'POST') {
        const params = await readJsonBody(req, MAX_RPC_BODY_BYTES);
        return answer(res, await dispatch(deps.handlers, url.pathname.slice(5), params, {}));
      }
      if (url.pathname === '/health' && req.method === 'GET') return answer(res, await dispatch(deps.handlers, 'health', {}, {}));
      if (url.pathname === FILES_PATH) return await deps.files(req, res, url);
      sendError(req, res, { code: 'not_found', message: `no route: ${req.method} ${url.pathname.slice(0, 200)}` }, { abandon: true });
    } catch (error) {
      sendError(req, res, toErrorInfo(error), { abandon: true });
    }
  };
}

function answer(res: ServerResponse, outcome: Outcome): void {
  if ('error' in outcome) sendJson(res, errorStatus[outcome.error.code], { error: outcome.error });
  else sendJson(res, 200, outcome.result);
}
