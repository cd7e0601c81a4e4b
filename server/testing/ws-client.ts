import WebSocket from 'ws';
import { wsSubprotocol } from '../../protocol/version';

export interface TestSocket {
  ws: WebSocket;
  /** Sends a raw text frame. */
  raw(text: string): void;
  request(method: string, params?: unknown): Promise<{ id: number | null; result?: any; error?: { code: string; message: string; reason?: string } }>;
  /** The next frame that matches. */
  next(match: (frame: any) => boolean, timeoutMs?: number): Promise<any>;
  close(): Promise<void>;
}

/** Opens a socket to a test server and collects what it says. */
export async function openTestSocket(url: string, token: string | undefined, protocols: string[] = [wsSubprotocol()]): Promise<TestSocket> {
  const ws = new WebSocket(url.replace(/^http/, 'ws') + '/ws', protocols, { headers: token ? { authorization: `Bearer ${token}` } : {} });
  const frames: any[] = [];
  const waiters: { match: (f: any) => boolean; resolve: (f: any) => void }[] = [];
  ws.on('message', (data) => {
    const frame = JSON.parse(data.toString());
    const waiter = waiters.findIndex((w) => w.match(frame));
    if (waiter >= 0) waiters.splice(waiter, 1)[0]!.resolve(frame);
    else frames.push(frame);
  });
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('unexpected-response', (_req, res) => {
      let body = '';
      res.on('data', (c: Buffer) => (body += c)).on('end', () => reject(Object.assign(new Error(`refused ${res.statusCode}`), { status: res.statusCode, body: JSON.parse(body || '{}') })));
    });
    ws.once('error', reject);
  });
  let id = 0;
  const next: TestSocket['next'] = (match, timeoutMs = 5000) => {
    const index = frames.findIndex(match);
    if (index >= 0) return Promise.resolve(frames.splice(index, 1)[0]);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('no matching frame in time')), timeoutMs);
      waiters.push({ match, resolve: (f) => { clearTimeout(timer); resolve(f); } });
    });
  };
  return {
    ws,
    raw: (text) => ws.send(text),
    request(method, params) {
      const myId = ++id;
      ws.send(JSON.stringify({ id: myId, method, params }));
      return next((f) => f.id === myId);
    },
    next,
    close: () => new Promise((resolve) => { ws.once('close', () => resolve()); ws.close(); }),
  };
}
