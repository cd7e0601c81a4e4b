import { Agent, request } from 'node:http';
import { DaemonClientError } from './daemon-client-error';

export interface Exchange {
  method: 'GET' | 'POST' | 'PUT' | 'HEAD';
  url: URL;
  headers: Record<string, string>;
  body?: Uint8Array | string;
  timeoutMs: number;
}

export interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

/** One HTTP request to the daemon over a keep-alive agent, body read whole. */
export function exchange(agent: Agent, call: Exchange): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const headers = { ...call.headers };
    if (call.body !== undefined) headers['content-length'] = String(Buffer.byteLength(call.body));
    const req = request(call.url, { method: call.method, headers, agent }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('error', reject);
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
    });
    req.setTimeout(call.timeoutMs, () => req.destroy(new DaemonClientError('unavailable', `daemon did not answer within ${call.timeoutMs} ms`)));
    req.on('error', (error) => reject(error instanceof DaemonClientError ? error : new DaemonClientError('unavailable', `daemon unreachable: ${error.message}`)));
    req.end(call.body);
  });
}
