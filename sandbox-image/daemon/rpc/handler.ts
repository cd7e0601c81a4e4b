import type { DaemonEventData, DaemonEventName } from '../../../protocol/daemon/stream';
import type { DaemonMethod, DaemonParams, DaemonResult } from '../../../protocol/daemon/methods';

/**
 * The connection a stream method was called on. Events sent while the call is running are held
 * until its reply has gone out. A subscription is a cleanup registered under a key; it runs on
 * unsubscribe, on a new subscription with the same key, or when the connection closes.
 */
export interface StreamSink {
  /** The same object for every call on one connection: what a session opened on it belongs to. */
  readonly connection: object;
  send<E extends DaemonEventName>(event: E, data: DaemonEventData<E>): void;
  subscribe(key: string, cleanup: () => void): void;
  unsubscribe(key: string): boolean;
}

export interface CallContext {
  /** Present on the WebSocket only. */
  stream?: StreamSink;
}

export type Handler<M extends DaemonMethod> = (params: DaemonParams<M>, ctx: CallContext) => Promise<DaemonResult<M>> | DaemonResult<M>;
export type HandlerMap = { [M in DaemonMethod]: Handler<M> };
/** The handlers of one capability: every method named `<prefix>.*`. */
export type HandlersFor<P extends string> = Pick<HandlerMap, Extract<DaemonMethod, `${P}.${string}`>>;
