import { Agent, request, type ClientRequest, type IncomingMessage } from 'node:http';
import { Readable } from 'node:stream';
import { DaemonClientError, errorFromResponse } from './daemon-client-error';

export interface Exchange {
  method: 'GET' | 'POST' | 'PUT' | 'HEAD';
  url: URL;
  headers: Record<string, string>;
  /** A stream is sent chunked, never held whole; its error aborts the request with that error. */
  body?: Uint8Array | string | Readable;
  timeoutMs: number;
}

export interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

/** A daemon sits on a local bridge: a connection it does not accept by then is not coming. */
const CONNECT_TIMEOUT_MS = 3000;

function boundConnect(req: ClientRequest): void {
  req.once('socket', (socket) => {
    if (!socket.connecting) return;
    const timer = setTimeout(() => req.destroy(new DaemonClientError('unavailable', `daemon did not accept a connection within ${CONNECT_TIMEOUT_MS / 1000} s`)), CONNECT_TIMEOUT_MS);
    socket.once('connect', () => clearTimeout(timer));
    socket.once('close', () => clearTimeout(timer));
  });
}

/** One HTTP request to the daemon over a keep-alive agent, body read whole. */
export function exchange(agent: Agent, call: Exchange): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const headers = { ...call.headers };
    const streamed = call.body instanceof Readable ? call.body : undefined;
    if (call.body !== undefined && !streamed) headers['content-length'] = String(Buffer.byteLength(call.body as Uint8Array | string));
    let failure: Error | undefined;
    const req = request(call.url, { method: call.method, headers, agent }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('error', reject);
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
    });
    req.setTimeout(call.timeoutMs, () => req.destroy(new DaemonClientError('unavailable', `daemon did not answer within ${call.timeoutMs} ms`)));
    req.on('error', (error) => reject(failure ?? (error instanceof DaemonClientError ? error : new DaemonClientError('unavailable', `daemon unreachable: ${error.message}`))));
    boundConnect(req);
    if (!streamed) {
      req.end(call.body);
      return;
    }
    streamed.once('error', (error) => { failure = error; req.destroy(error); reject(error); });
    streamed.pipe(req);
  });
}

/** Like `exchange`, but a 2xx body is handed over as a stream (large files pass through unbuffered). */
export function openStream(agent: Agent, call: Exchange): Promise<IncomingMessage> {
  return new Promise((resolve, reject) => {
    const req = request(call.url, { method: call.method, headers: call.headers, agent }, (res) => {
      const status = res.statusCode ?? 0;
      if (status >= 200 && status < 300) return resolve(res);
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => reject(errorFromResponse(status, Buffer.concat(chunks))));
      res.on('error', reject);
    });
    req.setTimeout(call.timeoutMs, () => req.destroy(new DaemonClientError('unavailable', `daemon did not answer within ${call.timeoutMs} ms`)));
    req.on('error', (error) => reject(error instanceof DaemonClientError ? error : new DaemonClientError('unavailable', `daemon unreachable: ${error.message}`)));
    boundConnect(req);
    req.end();
  });
}
