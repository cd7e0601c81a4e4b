import assert from 'node:assert/strict';
import { ClientError } from '../../protocol/client/client-error';
import { FakeSocket, tick } from './fake-socket.testing';
import { whenOpen } from './when-open';

describe('whenOpen', () => {
  it('resolves at once when open, and after a reconnection that lands in time', async () => {
    const socket = new FakeSocket();
    await whenOpen(socket);
    socket.setState({ status: 'waiting', retryInMs: 10, reason: 'blip' });
    const waiting = whenOpen(socket, 1000);
    await tick(5);
    socket.setState({ status: 'open' });
    await waiting;
  });

  it('fails as a network error when reconnecting takes too long or the socket is stopped', async () => {
    const socket = new FakeSocket();
    socket.setState({ status: 'connecting', attempt: 3 });
    await assert.rejects(whenOpen(socket, 20), (e: unknown) => ClientError.is(e) && e.kind === 'network' && /still reconnecting/.test(e.message));
    socket.setState({ status: 'stopped' });
    await assert.rejects(whenOpen(socket), /signed out/);
    assert.equal(socket.listenerCount, 0);
  });
});
