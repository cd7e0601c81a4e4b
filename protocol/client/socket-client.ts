import { ErrorBody, describeIssues } from '../errors';
import { WS_CLOSE, WsServerFrame, isWsEvent, wsEvents, wsMethods, type WsEventData, type WsEventName, type WsMethod, type WsParams, type WsResult } from '../ws';
import { wsSubprotocol } from '../version';
import { Backoff } from './backoff';
import { ClientError } from './client-error';
import { keep, type KeepHandlers, type Kept } from './kept-subscription';

/** What a transport reports; after `refused` nothing else follows, after `error` a `close` may. */
export interface WsTransportEvents {
  open(): void;
  message(text: string): void;
  close(code: number, reason: string): void;
  /** The server answered the upgrade with plain HTTP (its refusals carry a JSON error body). */
  refused(status: number, body: string): void;
  error(error: Error): void;
}
export interface WsTransport {
  send(text: string): void;
  close(code?: number, reason?: string): void;
}
/** Opens one WebSocket (in node: the `ws` package; in a browser: the DOM WebSocket). */
export type WsConnect = (request: { url: string; protocols: string[]; headers: Record<string, string> }, events: WsTransportEvents) => WsTransport;

export type SocketState =
  | { status: 'connecting'; attempt: number }
  | { status: 'open' }
  /** Lost or failed; the next attempt is scheduled. */
  | { status: 'waiting'; retryInMs: number; reason: string }
  /** Refused for good (bad token, other protocol version): no retries until `start()` again. */
  | { status: 'refused'; error: ClientError }
  | { status: 'stopped' };

export interface Timers {
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export interface SocketClientOptions {
  baseUrl: string;
  token: () => string | undefined;
  connect: WsConnect;
  backoff?: Backoff;
  requestTimeoutMs?: number;
  /** A `ping` request this often proves the connection is alive; 0 turns it off. */
  heartbeatMs?: number;
  timers?: Timers;
  /** Frames that do not match the protocol are dropped and reported here. */
  onProtocolError?: (message: string) => void;
}

interface Pending { method: WsMethod; resolve(value: unknown): void; reject(error: unknown): void; timer: unknown }

const defaultTimers: Timers = {
  setTimeout: (fn, ms) => globalThis.setTimeout(fn, ms),
  clearTimeout: (handle) => globalThis.clearTimeout(handle as ReturnType<typeof globalThis.setTimeout>),
};

/**
 * The extension's one WebSocket to the server: typed requests, validated events, reconnection with
 * backoff, and subscriptions that are made again on every new connection.
 */
export class SocketClient {
  private transport: WsTransport | undefined;
  private stateValue: SocketState = { status: 'stopped' };
  private nextId = 0;
  private readonly pending = new Map<number, Pending>();
  private readonly listeners = new Map<WsEventName, Set<(data: never) => void>>();
  private readonly stateListeners = new Set<(state: SocketState) => void>();
  private retryTimer: unknown;
  private heartbeatTimer: unknown;
  private readonly backoff: Backoff;
  private readonly timers: Timers;

  constructor(private readonly options: SocketClientOptions) {
    this.backoff = options.backoff ?? new Backoff();
    this.timers = options.timers ?? defaultTimers;
  }

  get state(): SocketState {
    return this.stateValue;
  }

  start(): void {
    this.stop();
    this.backoff.reset();
    this.open();
  }

  stop(): void {
    this.clearTimers();
    this.drop('the connection was closed');
    this.setState({ status: 'stopped' });
  }

  request<M extends WsMethod>(method: M, params: WsParams<M>): Promise<WsResult<M>> {
    const transport = this.transport;
    if (!transport || this.stateValue.status !== 'open') {
      return Promise.reject(new ClientError('network', 'not connected to the Slipway server'));
    }
    const id = ++this.nextId;
    return new Promise<WsResult<M>>((resolve, reject) => {
      const timer = this.timers.setTimeout(() => {
        this.pending.delete(id);
        reject(new ClientError('network', `the server did not answer ${method} in time`));
      }, this.options.requestTimeoutMs ?? 15_000);
      this.pending.set(id, { method, resolve: resolve as (value: unknown) => void, reject, timer });
      transport.send(JSON.stringify({ id, method, params }));
    });
  }

  on<E extends WsEventName>(event: E, listener: (data: WsEventData<E>) => void): () => void {
    let set = this.listeners.get(event);
    if (!set) this.listeners.set(event, (set = new Set()));
    set.add(listener as (data: never) => void);
    return () => set.delete(listener as (data: never) => void);
  }

  onState(listener: (state: SocketState) => void): () => void {
    this.stateListeners.add(listener);
    return () => this.stateListeners.delete(listener);
  }

  /** Keeps a subscription across reconnections (see `keep`). */
  keep<M extends WsMethod, R extends WsMethod>(
    method: M, params: WsParams<M> | (() => WsParams<M>), handlers: KeepHandlers<M>, release?: { method: R; params: WsParams<R> },
  ): Kept {
    return keep(this, method, params, handlers, release);
  }

  private open(): void {
    const token = this.options.token();
    if (!token) {
      this.setState({ status: 'refused', error: new ClientError('server', 'not signed in', 'unauthorized', 401) });
      return;
    }
    this.setState({ status: 'connecting', attempt: this.backoff.attempts + 1 });
    const url = this.options.baseUrl.replace(/\/+$/, '').replace(/^http/, 'ws') + '/ws';
    let ended = false;
    const mine = () => !ended && this.transport === transport;
    const end = (reason: string) => {
      if (!mine()) return;
      ended = true;
      this.transport = undefined;
      this.clearHeartbeat();
      this.drop(reason);
      this.scheduleRetry(reason);
    };
    const transport: WsTransport = this.options.connect(
      { url, protocols: [wsSubprotocol()], headers: { authorization: `Bearer ${token}` } },
      {
        open: () => {
          if (!mine()) return;
          this.backoff.reset();
          this.setState({ status: 'open' });
          this.armHeartbeat();
        },
        message: (text) => mine() && this.onMessage(text),
        close: (code, reason) => {
          // The credential was revoked, signed out or expired: retrying with it is pointless; the owner signs in again.
          if (code === WS_CLOSE.credentials && mine()) {
            ended = true;
            this.transport = undefined;
            this.clearHeartbeat();
            this.drop('the sign-in ended');
            const why = reason === 'credentials_expired' ? 'the sign-in expired' : 'the sign-in was revoked or signed out';
            this.setState({ status: 'refused', error: new ClientError('server', why, 'unauthorized', 401) });
            return;
          }
          end(`the connection closed (${code}${reason ? `: ${reason}` : ''})`);
        },
        error: (error) => end(error.message),
        refused: (status, body) => {
          if (!mine()) return;
          const error = refusal(status, body);
          if (status === 401 || status === 426) {
            ended = true;
            this.transport = undefined;
            this.setState({ status: 'refused', error });
          } else {
            end(error.message);
          }
        },
      },
    );
    this.transport = transport;
  }

  private onMessage(text: string): void {
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      return this.options.onProtocolError?.('a frame that is not JSON');
    }
    const frame = WsServerFrame.safeParse(json);
    if (!frame.success) return this.options.onProtocolError?.(`a frame that is not the protocol: ${describeIssues(frame.error)}`);
    const data = frame.data;
    if ('event' in data) {
      if (!isWsEvent(data.event)) return this.options.onProtocolError?.(`an unknown event "${data.event.slice(0, 100)}"`);
      const parsed = wsEvents[data.event].safeParse(data.data);
      if (!parsed.success) return this.options.onProtocolError?.(`an invalid ${data.event} event: ${describeIssues(parsed.error)}`);
      for (const listener of this.listeners.get(data.event) ?? []) (listener as (value: unknown) => void)(parsed.data);
      return;
    }
    const pending = data.id === null ? undefined : this.pending.get(data.id);
    if (!pending) {
      if ('error' in data) this.options.onProtocolError?.(`the server reported: ${data.error.message}`);
      return;
    }
    this.pending.delete(data.id!);
    this.timers.clearTimeout(pending.timer);
    if ('error' in data) return pending.reject(ClientError.fromServer(data.error));
    const result = wsMethods[pending.method].result.safeParse(data.result);
    if (result.success) pending.resolve(result.data);
    else pending.reject(new ClientError('invalid', `the answer to ${pending.method} does not match the protocol: ${describeIssues(result.error)}`));
  }

  private scheduleRetry(reason: string): void {
    const retryInMs = this.backoff.next();
    this.setState({ status: 'waiting', retryInMs, reason });
    this.retryTimer = this.timers.setTimeout(() => {
      this.retryTimer = undefined;
      this.open();
    }, retryInMs);
  }

  private armHeartbeat(): void {
    const every = this.options.heartbeatMs ?? 30_000;
    if (!every) return;
    this.heartbeatTimer = this.timers.setTimeout(() => {
      const transport = this.transport;
      this.request('ping', {}).then(
        () => this.transport === transport && this.armHeartbeat(),
        () => transport?.close(4000, 'heartbeat timed out'),
      );
    }, every);
  }

  private clearHeartbeat(): void {
    if (this.heartbeatTimer !== undefined) this.timers.clearTimeout(this.heartbeatTimer);
    this.heartbeatTimer = undefined;
  }

  private clearTimers(): void {
    if (this.retryTimer !== undefined) this.timers.clearTimeout(this.retryTimer);
    this.retryTimer = undefined;
    this.clearHeartbeat();
  }

  /** Closes the current transport (if any) and fails every request still waiting. */
  private drop(reason: string): void {
    const transport = this.transport;
    this.transport = undefined;
    transport?.close(1000, 'client closing');
    for (const [id, pending] of this.pending) {
      this.timers.clearTimeout(pending.timer);
      pending.reject(new ClientError('network', reason));
      this.pending.delete(id);
    }
  }

  private setState(state: SocketState): void {
    this.stateValue = state;
    for (const listener of [...this.stateListeners]) listener(state);
  }
}

function refusal(status: number, body: string): ClientError {
  try {
    const parsed = ErrorBody.safeParse(JSON.parse(body));
    if (parsed.success) return ClientError.fromServer(parsed.data.error, status);
  } catch { /* not JSON */ }
  return new ClientError('invalid', `the server refused the WebSocket with HTTP ${status}; is this a Slipway server?`, undefined, status);
}
