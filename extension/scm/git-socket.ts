import type { WsEventData, WsEventName, WsMethod, WsParams, WsResult } from '../../protocol/ws';
import type { ServerConnection } from '../connection/server-connection';
import { whenOpen } from '../connection/when-open';

/** Git calls over the signed-in account's socket (waiting briefly through a reconnection). */
export class GitSocket {
  constructor(private readonly connection: ServerConnection) {}

  async request<M extends WsMethod & `git.${string}`>(method: M, params: WsParams<M>): Promise<WsResult<M>> {
    const socket = this.connection.socket;
    if (!socket) throw new Error('Sign in to Slipway first (run "Slipway: Sign In").');
    await whenOpen(socket, 10_000);
    return socket.request(method, params);
  }

  /** Listens on whichever socket is current, following sign-ins. */
  on<E extends WsEventName>(event: E, listener: (data: WsEventData<E>) => void): { dispose(): void } {
    let off = this.connection.socket?.on(event, listener);
    const changed = this.connection.onDidChange(() => {
      off?.();
      off = this.connection.socket?.on(event, listener);
    });
    return { dispose: () => { off?.(); changed.dispose(); } };
  }
}
