import assert from 'node:assert/strict';
import type { ChatEvent } from '../../protocol/chat';
import { FakeSocket, tick } from '../connection/fake-socket.testing';
import { ChatFeed, type FeedSocket } from './chat-feed';

const CHAT = '33333333-3333-4333-8333-333333333333';
const event = (seq: number): ChatEvent => ({ seq, at: '2026-01-01T00:00:00.000Z', body: { type: 'text_delta', text: `#${seq}` } });

describe('Chat feed', () => {
  it('resumes after the last seq it saw on every reconnection and passes each event on once', async () => {
    const socket = new FakeSocket();
    const got: number[] = [];
    const feed = new ChatFeed(socket as unknown as FeedSocket, CHAT, 5, { events: (_, events) => got.push(...events.map((e) => e.seq)), failed: assert.fail });
    await tick();
    assert.deepEqual(socket.methods('chat.subscribe'), [{ chatId: CHAT, fromSeq: 5 }]);
    for (const seq of [4, 5, 6, 7]) socket.emit('chat.event', { chatId: CHAT, event: event(seq) });
    socket.emit('chat.event', { chatId: '44444444-4444-4444-8444-444444444444', event: event(8) });
    socket.blip();
    await tick();
    assert.deepEqual(socket.methods('chat.subscribe').at(-1), { chatId: CHAT, fromSeq: 7 });
    // The replay repeats what arrived live before the drop.
    for (const seq of [7, 8, 9]) socket.emit('chat.event', { chatId: CHAT, event: event(seq) });
    assert.deepEqual(got, [6, 7, 8, 9]);
    assert.deepEqual(feed.since(7).map((e) => e.seq), [8, 9]);
    assert.equal(feed.lastSeq, 9);
    feed.dispose();
    await tick();
    assert.deepEqual(socket.methods('chat.unsubscribe'), [{ chatId: CHAT }]);
    assert.equal(socket.listenerCount, 0);
  });

  it('reports a subscription the server refuses', async () => {
    const socket = new FakeSocket();
    socket.handlers['chat.subscribe'] = () => { throw new Error('not found'); };
    const failures: string[] = [];
    new ChatFeed(socket as unknown as FeedSocket, CHAT, 0, { events: () => undefined, failed: (m) => failures.push(m) });
    await tick();
    assert.deepEqual(failures, ['Could not follow the chat: not found']);
  });
});
