import WebSocket from 'ws';
import type { DaemonMethod, DaemonParamsIn, DaemonResult } from '../../protocol/daemon/methods';
import { daemonMethods } from '../../protocol/daemon/methods';
import type { DaemonEventData, DaemonEventName } from '../../protocol/daemon/stream';
import { daemonEvents, isDaemonEvent, STREAM_PATH, StreamServerFrame } from '../../protocol/daemon/stream';
import { describeIssues } from '../../protocol/errors';
import { DaemonClientError } from './daemon-client-error';
import { connectionVia, type Dial } from './dial';

interface Pending {
  method: DaemonMethod;
  resolve(value: unknown): void;
  reject(error: Error): void;
}

type Listener = (data: never) => void;

/**
 * The /stream WebSocket: calls with replies, and typed events. Replies and events are checked
 * against the protocol; a frame that does not match is dropped and reported to `onProtocolError`.
 */
export class DaemonStream {
  private readonly pending = new Map<number, Pending>();
  private readonly listeners = new Map<DaemonEventName, Set<Listener>>();
  private readonly closeListeners = new Set<(code: number, reason: string) => void>();
  private nextId = 1;
  onProtocolError: (message: string) => void = () => undefined;

  private constructor(private readonly socket: WebSocket) {
    socket.on('message', (raw, isBinary) => {
      if (!isBinary) this.receive(raw.toString());
    });
    socket.on('close', (code, reason) => {
      const error = new DaemonClientError('unavailable', `daemon stream closed (${code})`);
      for (const pending of this.pending.values()) pending.reject(error);
      this.pending.clear();
      for (const listener of this.closeListeners) listener(code, reason.toString());
    });
    socket.on('error', () => undefined);
  }

  static open(base: URL, headers: Record<string, string>, dial?: Dial): Promise<DaemonStream> {
    const url = new URL(STREAM_PATH, base);
    url.protocol = base.protocol === 'https:' ? 'wss:' : 'ws:';
    return new Promise((resolve, reject) => {
      const socket = new WebSocket(url, { headers, perMessageDeflate: false, handshakeTimeout: 5000, ...(dial ? { createConnection: connectionVia(dial) as never } : {}) });
      socket.once('open', () => resolve(new DaemonStream(socket)));
      socket.once('unexpected-response', (_req, res) => {
        const status = res.statusCode ?? 0;
        reject(new DaemonClientError(status === 401 ? 'unauthorized' : 'unavailable', `daemon refused the stream (HTTP ${status})`, { status }));
        socket.terminate();
      });
      socket.once('error', (error) => reject(new DaemonClientError('unavailable', `daemon stream failed: ${error.message}`)));
    });
  }

  call<M extends DaemonMethod>(method: M, params: DaemonParamsIn<M>): Promise<DaemonResult<M>> {
    if (this.socket.readyState !== WebSocket.OPEN) return Promise.reject(new DaemonClientError('unavailable', 'daemon stream is closed'));
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { method, resolve: resolve as (value: unknown) => void, reject });
      this.socket.send(JSON.stringify({ id, method, params }));
    });
  }

  on<E extends DaemonEventName>(event: E, listener: (data: DaemonEventData<E>) => void): () => void {
    let set = this.listeners.get(event);
    if (!set) this.listeners.set(event, (set = new Set()));
    set.add(listener);
    return () => set.delete(listener);
  }

  onClose(listener: (code: number, reason: string) => void): () => void {
    this.closeListeners.add(listener);
    return () => this.closeListeners.delete(listener);
  }

  /** Pings every `intervalMs`; a daemon that leaves two pings unanswered is cut off (close listeners run). */
  heartbeat(intervalMs: number): void {
    let unanswered = 0;
    this.socket.on('pong', () => { unanswered = 0; });
    const timer = setInterval(() => {
      if (unanswered >= 2) return this.socket.terminate();
      unanswered++;
      this.socket.ping();
    }, intervalMs);
    timer.unref();
    this.socket.once('close', () => clearInterval(timer));
  }

  get open(): boolean {
    return this.socket.readyState === WebSocket.OPEN;
  }

  close(): void {
    this.socket.close();
  }

  private receive(text: string): void {
    let frame: StreamServerFrame;
    try {
      const parsed = StreamServerFrame.safeParse(JSON.parse(text));
      if (!parsed.success) return this.onProtocolError(`unreadable frame: ${describeIssues(parsed.error)}`);
      frame = parsed.data;
    } catch {
      return this.onProtocolError('frame is not JSON');
    }
    if ('event' in frame) return this.deliver(frame.event, frame.data);
    const pending = frame.id === null ? undefined : this.pending.get(frame.id);
    if (!pending) return this.onProtocolError('error' in frame ? `daemon: ${frame.error.message}` : 'reply to no request');
    this.pending.delete(frame.id ?? -1);
    if ('error' in frame) return pending.reject(new DaemonClientError(frame.error.code, frame.error.message, frame.error.reason ? { reason: frame.error.reason } : {}));
    const result = daemonMethods[pending.method].result.safeParse(frame.result);
    if (result.success) pending.resolve(result.data);
    else pending.reject(new DaemonClientError('internal', `reply to ${pending.method} does not match the protocol: ${describeIssues(result.error)}`));
  }

  private deliver(event: string, data: unknown): void {
    if (!isDaemonEvent(event)) return this.onProtocolError(`unknown event ${event}`);
    const parsed = daemonEvents[event].safeParse(data);
    if (!parsed.success) return this.onProtocolError(`${event} does not match the protocol: ${describeIssues(parsed.error)}`);
    for (const listener of this.listeners.get(event) ?? []) (listener as (value: unknown) => void)(parsed.data);
  }
}
