import { request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { Readable } from 'node:stream';

/** Statuses whose Response may not have a body. */
const NULL_BODY = new Set([101, 103, 204, 205, 304]);

/**
 * `fetch` on node:http(s), for the MCP HTTP relay: the daemon runs with V8's --lite-mode, which has
 * no WebAssembly, and Node's own fetch parses HTTP with WebAssembly (llhttp). The answer streams
 * (server-sent events), redirects are not followed (the SDK decides), the signal aborts.
 */
export function nodeFetch(input: string | URL, init: RequestInit = {}): Promise<Response> {
  const url = new URL(input);
  const request = url.protocol === 'https:' ? httpsRequest : url.protocol === 'http:' ? httpRequest : undefined;
  if (!request) return Promise.reject(new TypeError(`fetch failed (unsupported protocol ${url.protocol})`));
  const headers = Object.fromEntries(new Headers(init.headers).entries());
  const body = init.body;
  if (body !== undefined && body !== null && typeof body !== 'string') return Promise.reject(new TypeError('fetch failed (only text bodies are sent)'));
  return new Promise((resolve, reject) => {
    const req = request(url, { method: init.method ?? 'GET', headers, signal: init.signal ?? undefined }, (res) => {
      const status = res.statusCode ?? 502;
      const stream = NULL_BODY.has(status) ? null : (Readable.toWeb(res) as ReadableStream<Uint8Array>);
      if (!stream) res.resume();
      resolve(new Response(stream, { status, statusText: res.statusMessage ?? '', headers: toHeaders(res.headers) }));
    });
    req.on('error', (error: NodeJS.ErrnoException) => reject(new TypeError('fetch failed', { cause: error })));
    req.end(body ?? undefined);
  });
}

function toHeaders(raw: IncomingHttpHeaders): Headers {
  const headers = new Headers();
  for (const [name, value] of Object.entries(raw)) {
    if (Array.isArray(value)) for (const item of value) headers.append(name, item);
    else if (value !== undefined) headers.set(name, value);
  }
  return headers;
}
