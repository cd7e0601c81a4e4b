import { keep, type KeepHandlers, type Kept } from '../../protocol/client/kept-subscription';
import type { SocketState } from '../../protocol/client/socket-client';
import type { WsEventData, WsEventName, WsMethod, WsParams, WsResult } from '../../protocol/ws';

type Handler = (params: any) => unknown;

/** A socket client double for unit tests: records requests, answers from handlers, emits events and states. */
export class FakeSocket {
  state: SocketState = { status: 'open' };
  readonly calls: { method: WsMethod; params: any }[] = [];
  readonly handlers: Partial<Record<WsMethod, Handler>> = {};
  private readonly listeners = new Map<string, Set<(data: any) => void>>();
  private readonly stateListeners = new Set<(state: SocketState) => void>();

  request<M extends WsMethod>(method: M, params: WsParams<M>): Promise<WsResult<M>> {
    this.calls.push({ method, params });
    const handler = this.handlers[method];
    return Promise.resolve().then(() => (handler ? handler(params) : { ok: true })) as Promise<WsResult<M>>;
  }

  on<E extends WsEventName>(event: E, listener: (data: WsEventData<E>) => void): () => void {
    let set = this.listeners.get(event);
    if (!set) this.listeners.set(event, (set = new Set()));
    set.add(listener);
    return () => set.delete(listener);
  }

  onState(listener: (state: SocketState) => void): () => void {
    this.stateListeners.add(listener);
    return () => this.stateListeners.delete(listener);
  }

  keep<M extends WsMethod, R extends WsMethod>(method: M, params: WsParams<M> | (() => WsParams<M>), handlers: KeepHandlers<M>, release?: { method: R; params: WsParams<R> }): Kept {
    return keep(this, method, params, handlers, release);
  }

  emit<E extends WsEventName>(event: E, data: WsEventData<E>): void {
    for (const listener of [...(this.listeners.get(event) ?? [])]) listener(data);
  }

  setState(state: SocketState): void {
    this.state = state;
    for (const listener of [...this.stateListeners]) listener(state);
  }

  /** A network drop followed by a reconnection. */
  blip(): void {
    this.setState({ status: 'waiting', retryInMs: 10, reason: 'test blip' });
    this.setState({ status: 'connecting', attempt: 1 });
    this.setState({ status: 'open' });
  }

  methods(name: WsMethod): any[] {
    return this.calls.filter((c) => c.method === name).map((c) => c.params);
  }

  get listenerCount(): number {
    return [...this.listeners.values()].reduce((n, s) => n + s.size, 0) + this.stateListeners.size;
  }
}

export const tick = (ms = 0): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
