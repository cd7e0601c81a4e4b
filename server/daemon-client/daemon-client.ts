import type { IncomingMessage } from 'node:http';
import type { Readable } from 'node:stream';
import type { z } from 'zod';
import type { Entry } from '../../protocol/daemon/fs';
import { Entry as EntrySchema } from '../../protocol/daemon/fs';
import { FILES_PATH } from '../../protocol/daemon/files';
import type { DaemonMethod, DaemonParamsIn, DaemonResult } from '../../protocol/daemon/methods';
import { DAEMON_PROTOCOL_VERSION, daemonMethods } from '../../protocol/daemon/methods';
import { describeIssues } from '../../protocol/errors';
import { PROTOCOL_HEADER } from '../../protocol/version';
import { DaemonClientError, errorFromResponse } from './daemon-client-error';
import { DaemonStream } from './daemon-stream';
import { agentVia, type Dial } from './dial';
import type { Answer, Exchange } from './http-exchange';
import { exchange, openStream } from './http-exchange';

export interface DaemonClientOptions {
  /** e.g. http://10.0.3.7:7070 */
  baseUrl: string;
  token: string;
  /** Per request; default 120 s (exec.run may take its whole timeout). */
  timeoutMs?: number;
  /** When the address is not routable from here: how to connect to it instead. */
  dial?: Dial;
}

export interface WriteFileOptions {
  /** Create missing parent directories. */
  createParents?: boolean;
  /** Octal permission bits, e.g. '755'. */
  mode?: string;
}

/** Typed access to one sandbox daemon. Every answer is checked against the protocol schemas. */
export class DaemonClient {
  private readonly agent;
  private readonly base: URL;
  private readonly timeoutMs: number;

  constructor(private readonly options: DaemonClientOptions) {
    this.base = new URL(options.baseUrl);
    this.agent = agentVia(options.dial, { maxSockets: 16 });
    this.timeoutMs = options.timeoutMs ?? 120_000;
  }

  /** `POST /rpc/<method>`. Stream-only methods (subscriptions) are on `connect()` instead. */
  async call<M extends DaemonMethod>(method: M, params: DaemonParamsIn<M>, options: { timeoutMs?: number } = {}): Promise<DaemonResult<M>> {
    const answer = await this.send({
      method: 'POST',
      url: new URL(`/rpc/${method}`, this.base),
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(params),
      timeoutMs: options.timeoutMs ?? this.callTimeout(params),
    });
    return parseJson(daemonMethods[method].result, answer.body) as DaemonResult<M>;
  }

  health(): Promise<DaemonResult<'health'>> {
    return this.call('health', {});
  }

  /** The file's bytes, or `length` bytes from `offset` (a Range request). */
  async readFile(path: string, range: { offset?: number; length?: number } = {}): Promise<Buffer> {
    const headers: Record<string, string> = {};
    if (range.offset !== undefined || range.length !== undefined) {
      const start = range.offset ?? 0;
      if (range.length === 0) return Buffer.alloc(0);
      headers.range = `bytes=${start}-${range.length === undefined ? '' : start + range.length - 1}`;
    }
    const answer = await this.send({ method: 'GET', url: this.filesUrl({ path }), headers, timeoutMs: this.timeoutMs }, [416]);
    return answer.status === 416 ? Buffer.alloc(0) : answer.body;
  }

  /** The file's bytes as a stream, for passing large files through without holding them. */
  async openFile(path: string, range: { offset?: number; length?: number } = {}): Promise<IncomingMessage> {
    const headers: Record<string, string> = { ...this.headers() };
    if (range.offset !== undefined || range.length !== undefined) {
      const start = range.offset ?? 0;
      headers.range = `bytes=${start}-${range.length === undefined ? '' : start + Math.max(1, range.length) - 1}`;
    }
    return openStream(this.agent, { method: 'GET', url: this.filesUrl({ path }), headers, timeoutMs: this.timeoutMs });
  }

  async readText(path: string): Promise<string> {
    return (await this.readFile(path)).toString('utf8');
  }

  /** Replaces (or creates) a file atomically. A stream is sent as it comes (large files are never held). */
  async writeFile(path: string, data: Uint8Array | string | Readable, options: WriteFileOptions = {}): Promise<Entry> {
    const answer = await this.send({
      method: 'PUT',
      url: this.filesUrl({ path, ...options }),
      headers: { 'content-type': 'application/octet-stream' },
      body: data,
      timeoutMs: this.timeoutMs,
    });
    return parseJson(EntrySchema, answer.body);
  }

  /** Opens the /stream WebSocket (exec output, terminals, workspace changes). */
  connect(): Promise<DaemonStream> {
    return DaemonStream.open(this.base, this.headers(), this.options.dial);
  }

  close(): void {
    this.agent.destroy();
  }

  /** A call that carries its own timeout (exec.run) gets that long plus a margin. */
  private callTimeout(params: unknown): number {
    const own = typeof params === 'object' && params !== null && 'timeoutMs' in params ? params.timeoutMs : undefined;
    return typeof own === 'number' ? Math.max(this.timeoutMs, own + 10_000) : this.timeoutMs;
  }

  private headers(): Record<string, string> {
    return { authorization: `Bearer ${this.options.token}`, [PROTOCOL_HEADER]: String(DAEMON_PROTOCOL_VERSION) };
  }

  private filesUrl(query: { path: string } & WriteFileOptions): URL {
    const url = new URL(FILES_PATH, this.base);
    for (const [key, value] of Object.entries(query)) if (value !== undefined) url.searchParams.set(key, String(value));
    return url;
  }

  private async send(call: Exchange, alsoFine: number[] = []): Promise<Answer> {
    const answer = await exchange(this.agent, { ...call, headers: { ...this.headers(), ...call.headers } });
    if ((answer.status >= 200 && answer.status < 300) || alsoFine.includes(answer.status)) return answer;
    throw errorFromResponse(answer.status, answer.body);
  }
}

function parseJson<S extends z.ZodType>(schema: S, body: Buffer): z.output<S> {
  let value: unknown;
  try {
    value = JSON.parse(body.toString('utf8'));
  } catch {
    throw new DaemonClientError('internal', 'daemon answered with invalid JSON');
  }
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw new DaemonClientError('internal', `daemon answer does not match the protocol: ${describeIssues(parsed.error)}`);
  return parsed.data;
}
