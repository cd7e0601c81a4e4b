import { ClientError } from '../../protocol/client/client-error';
import type { SocketClient } from '../../protocol/client/socket-client';

export type StatefulSocket = Pick<SocketClient, 'state' | 'onState'>;

/**
 * Resolves once the socket is open: at once when it is, after a reconnection that lands within
 * `timeoutMs` (a network blip should not fail a file save), otherwise with a network error.
 */
export function whenOpen(socket: StatefulSocket, timeoutMs = 10_000): Promise<void> {
  const status = socket.state.status;
  if (status === 'open') return Promise.resolve();
  const notConnected = (why: string) => new ClientError('network', `not connected to the Slipway server (${why})`);
  if (status === 'stopped' || status === 'refused') return Promise.reject(notConnected(status === 'stopped' ? 'signed out' : 'refused'));
  return new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => {
      off();
      reject(notConnected(`still reconnecting after ${Math.round(timeoutMs / 1000)} s`));
    }, timeoutMs);
    const off = socket.onState((state) => {
      if (state.status === 'open') resolve();
      else if (state.status === 'stopped' || state.status === 'refused') reject(notConnected(state.status));
      else return;
      clearTimeout(timer);
      off();
    });
  });
}
