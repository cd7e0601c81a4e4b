import type { WsMethod, WsParams, WsResult } from '../ws';

/** What keeping a subscription needs of a socket client (the real one, or a test double). */
export interface KeepSocket {
  readonly state: { status: string };
  request<M extends WsMethod>(method: M, params: WsParams<M>): Promise<WsResult<M>>;
  onState(listener: (state: { status: string }) => void): () => void;
}

export interface KeepHandlers<M extends WsMethod> {
  onResult(result: WsResult<M>): void;
  onError?(error: unknown): void;
}

/** A kept subscription: call it to end it (sending the release when connected). */
export interface Kept {
  (): void;
  /** Makes it again now, when connected (e.g. the project runs again); resolves once handled. */
  again(): Promise<void>;
  /** The latest run, resolved once its result or error was handled. */
  readonly latest: Promise<void>;
}

/**
 * Makes a subscription now (when connected) and again after every reconnection, handing each
 * result to `onResult`. `params` may be a function: it is asked at every run, so a feed resumes from
 * what it has seen (a chat's last seq, a watch's cursor). The one resubscribe-on-reconnect of the
 * extension: chats, watches, terminals and project lists use it.
 */
export function keep<M extends WsMethod, R extends WsMethod>(
  socket: KeepSocket,
  method: M,
  params: WsParams<M> | (() => WsParams<M>),
  handlers: KeepHandlers<M>,
  release?: { method: R; params: WsParams<R> },
): Kept {
  let ended = false;
  let latest: Promise<void> = Promise.resolve();
  const run = (): Promise<void> => {
    if (ended || socket.state.status !== 'open') return latest;
    const current = typeof params === 'function' ? (params as () => WsParams<M>)() : params;
    latest = socket.request(method, current).then(
      (result) => { if (!ended) handlers.onResult(result); },
      (error: unknown) => { if (!ended) handlers.onError?.(error); },
    );
    return latest;
  };
  const off = socket.onState((state) => state.status === 'open' && void run());
  void run();
  const end = () => {
    if (ended) return;
    ended = true;
    off();
    if (release && socket.state.status === 'open') socket.request(release.method, release.params).catch(() => undefined);
  };
  return Object.assign(end, { again: run, get latest() { return latest; } });
}
