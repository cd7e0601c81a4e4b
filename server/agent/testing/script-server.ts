import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as delay } from 'node:timers/promises';
import { isFault, type FaultTurn, type ReplyTurn, type ScriptTurn } from './script';

/** One request as the scripted server received it. */
export interface RecordedRequest {
  method: string;
  path: string;
  /** Lower-cased header names. */
  headers: Record<string, string>;
  /** The parsed JSON body ({} when it was not JSON). */
  body: Record<string, unknown>;
  /** True when the client hung up before the response was complete (e.g. it aborted). */
  clientClosed: boolean;
}

export interface ErrorReply {
  status: number;
  headers?: Record<string, string>;
  body: unknown;
}

/** What differs between providers: paths, checks, and how a turn looks on the wire. */
export interface WireFormat {
  /** The request path the SDK posts to. */
  path: string;
  /** Appended to the server's origin to make the client's base URL. */
  basePath: string;
  /** Refuses a request the real API would refuse (bad key, missing header or field). */
  check(request: RecordedRequest, apiKey: string | undefined, options: ScriptServerOptions): ErrorReply | undefined;
  notFound(request: RecordedRequest): ErrorReply;
  fault(turn: FaultTurn, request: RecordedRequest): ErrorReply;
  /** The complete SSE frames of a reply turn, each ending in a blank line. */
  frames(turn: ReplyTurn, request: RecordedRequest, turnNumber: number): string[];
  /** The in-stream error frame. */
  streamError(): string;
}

export interface ScriptServerOptions {
  /** When set, requests with another key are refused as the real API does (no turn consumed). */
  apiKey?: string;
  /** Play a text-only model: image parts are refused with the provider's 400 (default: images accepted). */
  images?: boolean;
}

export interface ScriptServer {
  /** Give this to the SDK / provider as its base URL. */
  baseUrl: string;
  /** Every request received, in order. */
  requests: RecordedRequest[];
  /** Adds turns to the end of the transcript. */
  enqueue(...turns: ScriptTurn[]): void;
  /** Turns not played yet. */
  remaining(): number;
  close(): Promise<void>;
}

export async function startScriptServer(
  wire: WireFormat,
  turns: ScriptTurn[],
  options: ScriptServerOptions = {},
): Promise<ScriptServer> {
  const queue = [...turns];
  const requests: RecordedRequest[] = [];
  let played = 0;

  const server = createServer((req, res) => {
    void handle(req, res).catch(() => res.destroy());
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const record = await recordRequest(req);
    requests.push(record);
    let finishedByScript = false;
    res.on('close', () => {
      if (!res.writableFinished && !finishedByScript) record.clientClosed = true;
    });
    if (req.method !== 'POST' || record.path !== wire.path) return sendError(res, wire.notFound(record));
    const refusal = wire.check(record, options.apiKey, options);
    if (refusal) return sendError(res, refusal);
    const turn = queue.shift();
    if (!turn) return sendError(res, wire.fault({ fault: 'server_error' }, record));
    played++;
    if (isFault(turn)) return sendError(res, wire.fault(turn, record));

    res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache', connection: 'keep-alive' });
    res.flushHeaders();
    const frames = wire.frames(turn, record, played);
    for (let sent = 0; sent <= frames.length; sent++) {
      if (turn.errorAfter === sent) {
        res.end(wire.streamError());
        return;
      }
      if (turn.dropAfter === sent) {
        finishedByScript = true;
        // Let the frames already written reach the client first, as on a real network.
        if (sent > 0) await delay(50);
        if (turn.dropHow === 'end') res.end();
        else res.destroy();
        return;
      }
      const frame = frames[sent];
      if (frame === undefined) break;
      if (turn.delayMs) await delay(turn.delayMs);
      if (res.destroyed) return;
      await new Promise<void>((resolve) => res.write(frame, () => resolve()));
    }
    res.end();
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}${wire.basePath}`,
    requests,
    enqueue: (...more) => void queue.push(...more),
    remaining: () => queue.length,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

async function recordRequest(req: IncomingMessage): Promise<RecordedRequest> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(req.headers)) {
    if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(', ') : value;
  }
  return {
    method: req.method ?? 'GET',
    path: new URL(req.url ?? '/', 'http://script').pathname,
    headers,
    body: parseObject(Buffer.concat(chunks).toString('utf8')),
    clientClosed: false,
  };
}

function parseObject(text: string): Record<string, unknown> {
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? { ...value } : {};
  } catch {
    return {};
  }
}

function sendError(res: ServerResponse, reply: ErrorReply): void {
  res.writeHead(reply.status, { 'content-type': 'application/json', ...reply.headers });
  res.end(JSON.stringify(reply.body));
}
