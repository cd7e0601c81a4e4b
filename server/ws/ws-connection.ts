import type { RawData, WebSocket } from 'ws';
import { findNul, nulMessage } from '../../protocol/nul-check';
import { describeIssues, type ErrorInfo } from '../../protocol/errors';
import { WS_CLOSE, WsRequest, isWsMethod, wsMethods, type WsCredentialsCloseReason, type WsEventData, type WsEventName, type WsMethod, type WsParams, type WsResult, type WsServerFrame } from '../../protocol/ws';
import type { AuthUser, Credential } from '../auth/authenticate';
import type { BoundSocket } from '../auth/credential-watch';
import { AppError } from '../errors';
import { errorInfo, toAppError } from '../http/error-middleware';
import type { Logger } from '../log';
import type { Metrics } from '../http/metrics';

/** A handler for every WebSocket method, given the params (validated) and the caller's connection. */
export type WsHandlers = { [M in WsMethod]: (params: WsParams<M>, connection: WsConnection) => Promise<WsResult<M>> };

/** More than this queued for one slow client and it is disconnected rather than buffered forever. */
const MAX_BUFFERED_BYTES = 16 * 1024 * 1024;

/**
 * One authenticated socket. Each request gets exactly one reply; a bad request is answered with an
 * error and the connection (and every other one) carries on.
 */
export class WsConnection implements BoundSocket {
  alive = true;
  private readonly cleanups: (() => void)[] = [];
  private ended = false;

  /** Bound to the credential it opened with: it closes when that expires or is revoked (see the gateway). */
  constructor(
    readonly socket: WebSocket,
    readonly user: AuthUser,
    readonly credential: Credential,
    private readonly deps: { handlers: WsHandlers; log: Logger; metrics: Metrics; maxMessageBytes: number },
  ) {
    socket.on('message', (data, isBinary) => void this.onMessage(data, isBinary));
    socket.on('pong', () => { this.alive = true; });
    socket.on('close', () => { for (const cleanup of this.cleanups.splice(0)) cleanup(); });
  }

  get userId(): string {
    return this.user.id;
  }

  /** The user left a team: whatever it was subscribed to, it reconnects with only what it may still see. */
  accessChanged(): void {
    this.socket.close(WS_CLOSE.accessChanged, 'team membership changed; reconnect');
  }

  /** Closes the socket for good: its credential no longer holds. Nothing more runs on it. */
  endCredentials(reason: WsCredentialsCloseReason): void {
    if (this.ended) return;
    this.ended = true;
    this.socket.close(WS_CLOSE.credentials, reason);
  }

  private credentialsHold(): boolean {
    const expiresAt = this.credential.expiresAt?.getTime();
    if (expiresAt !== undefined && expiresAt <= Date.now()) this.endCredentials('credentials_expired');
    return !this.ended;
  }

  /** Runs when the socket closes (unsubscribe from feeds…). */
  onClose(cleanup: () => void): void {
    this.cleanups.push(cleanup);
  }

  sendEvent<E extends WsEventName>(event: E, data: WsEventData<E>): void {
    this.send({ event, data });
  }

  private send(frame: WsServerFrame): void {
    if (this.socket.readyState !== this.socket.OPEN) return;
    if (this.socket.bufferedAmount > MAX_BUFFERED_BYTES) {
      this.socket.close(1013, 'client too slow');
      return;
    }
    this.socket.send(JSON.stringify(frame));
  }

  private reply(id: number | null, error: ErrorInfo): void {
    this.send({ id, error });
  }

  private async onMessage(data: RawData, isBinary: boolean): Promise<void> {
    if (!this.credentialsHold()) return;
    const bytes = Array.isArray(data) ? data.reduce((n, b) => n + b.length, 0) : (data as Buffer | ArrayBuffer).byteLength;
    if (isBinary) return this.reply(null, { code: 'bad_request', message: 'send requests as JSON text frames' });
    // Answered under the request's own id (the frame is bounded by maxPayload), so its caller hears why at once.
    if (bytes > this.deps.maxMessageBytes) return this.reply(idOf(data), { code: 'payload_too_large', message: `a message may be at most ${this.deps.maxMessageBytes} bytes` });
    let json: unknown;
    try {
      json = JSON.parse(data.toString());
    } catch {
      return this.reply(null, { code: 'bad_request', message: 'the message is not valid JSON' });
    }
    const envelope = WsRequest.safeParse(json);
    if (!envelope.success) {
      const id = typeof (json as { id?: unknown })?.id === 'number' ? (json as { id: number }).id : null;
      return this.reply(id, { code: 'bad_request', message: `not a request: ${describeIssues(envelope.error)}` });
    }
    const { id, method } = envelope.data;
    if (!isWsMethod(method)) {
      this.deps.metrics.wsMessages.inc({ method: 'unknown', outcome: 'error' });
      return this.reply(id, { code: 'not_found', message: `unknown method "${method.slice(0, 100)}"` });
    }
    try {
      const nul = findNul(envelope.data.params, 'params');
      if (nul) throw new AppError('bad_request', nulMessage(nul));
      const params = wsMethods[method].params.safeParse(envelope.data.params ?? {});
      if (!params.success) throw new AppError('validation_failed', `invalid params: ${describeIssues(params.error)}`);
      const handler = this.deps.handlers[method] as (params: unknown, connection: WsConnection) => Promise<unknown>;
      const result = wsMethods[method].result.parse(await handler(params.data, this));
      this.deps.metrics.wsMessages.inc({ method, outcome: 'ok' });
      this.send({ id, result });
    } catch (caught) {
      const error = toAppError(caught);
      if (error.status >= 500) this.deps.log.error({ err: caught, method }, 'websocket request failed');
      this.deps.metrics.wsMessages.inc({ method, outcome: 'error' });
      this.reply(id, errorInfo(error));
    }
  }
}

/** The `id` of a request frame, when it is JSON with a numeric id. */
function idOf(data: RawData): number | null {
  try {
    const id: unknown = (JSON.parse(data.toString()) as { id?: unknown } | null)?.id;
    return typeof id === 'number' ? id : null;
  } catch {
    return null;
  }
}
