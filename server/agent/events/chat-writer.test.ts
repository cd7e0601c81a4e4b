import assert from 'node:assert/strict';
import type { ChatEvent, ChatEventBody } from '../../../protocol/chat';
import { silentLogger } from '../../log';
import { startTestServer, type TestServer } from '../../testing/test-server';
import { waitFor } from '../../testing/wait-for';
import { insertChat } from '../chats/chat-store';
import { ChatFeed } from './chat-feed';
import { ChatWriter } from './chat-writer';
import { appendEvents, readEvents } from './event-store';

const text = (t: string): ChatEventBody => ({ type: 'text_delta', text: t });
const notice = (message: string): ChatEventBody => ({ type: 'notice', message });

/** Events written in batches (one statement for what queued while a write was in flight): order, sequence, all or none, and resume after a crash between persist and send. */
describe('chat events written in batches', function () {
  this.timeout(20_000);
  let s: TestServer;
  let projectId: string;
  let userId: string;
  const feeds: ChatFeed[] = [];
  const newChat = async () => (await insertChat(s.db.sql, { projectId, title: 't', userId })).id;
  const feed = async () => {
    const f = new ChatFeed(s.db.sql, silentLogger());
    await f.start();
    feeds.push(f);
    return f;
  };

  before(async () => {
    s = await startTestServer();
    const user = await s.signUp('writer');
    userId = user.session.user.id;
    projectId = (await s.call('POST', '/api/projects', { token: user.token, body: { teamId: user.teamId, name: 'w', start: false } })).body.id;
  });
  after(async () => {
    await Promise.all(feeds.map((f) => f.stop()));
    await s?.close();
  });

  it('gives a batch consecutive sequence numbers in the order given, after what came before', async () => {
    const chatId = await newChat();
    const f = await feed();
    const [first] = await appendEvents(s.db.sql, f.origin, chatId, [notice('one')]);
    const batch = await appendEvents(s.db.sql, f.origin, chatId, [notice('two'), text('three'), notice('four')]);
    assert.deepEqual(batch.map((e) => e.seq), [first!.seq + 1, first!.seq + 2, first!.seq + 3]);
    const stored = await readEvents(s.db.sql, chatId, 0);
    assert.deepEqual(stored.map((e) => [e.seq, e.body]), [[first!.seq, notice('one')], ...batch.map((e) => [e.seq, e.body])]);
  });

  it('writes a batch all or none: a bad event leaves no row and no sequence number used', async () => {
    const chatId = await newChat();
    const f = await feed();
    await appendEvents(s.db.sql, f.origin, chatId, [notice('before')]);
    // A body without a type violates chat_events.type NOT NULL: the whole statement fails.
    await assert.rejects(appendEvents(s.db.sql, f.origin, chatId, [notice('ok'), { text: 'no type' } as never, notice('after')]));
    const after = await appendEvents(s.db.sql, f.origin, chatId, [notice('next'), notice('last')]);
    assert.deepEqual((await readEvents(s.db.sql, chatId, 0)).map((e) => [e.seq, (e.body as { message: string }).message]), [[1, 'before'], [2, 'next'], [3, 'last']]);
    assert.deepEqual(after.map((e) => e.seq), [2, 3]);
    await assert.rejects(appendEvents(s.db.sql, f.origin, '00000000-0000-4000-8000-000000000000', [notice('a'), notice('b')]), /does not exist/);
  });

  it('sends what queued during a write as one batch, in emit order, merging adjacent deltas, each promise with its own event', async () => {
    const chatId = await newChat();
    const f = await feed();
    const writes: ChatEventBody[][] = [];
    const appendMany = f.appendMany.bind(f);
    f.appendMany = (id, bodies) => { writes.push(bodies); return appendMany(id, bodies); };
    const seen: ChatEvent[] = [];
    f.listen(chatId, (_seq, event) => seen.push(event!));
    const writer = new ChatWriter(f, chatId);
    const first = writer.emit(notice('first')); // the writer was idle: written once this code yields
    await Promise.resolve();
    const promises = [
      first,
      writer.emit(text('a')), writer.emit(text('b')), writer.emit(notice('message')), writer.emit(notice('usage')), writer.emit(text('c')),
    ];
    const events = await Promise.all(promises);
    assert.deepEqual(writes, [[notice('first')], [text('ab'), notice('message'), notice('usage'), text('c')]]);
    assert.deepEqual(events.map((e) => e.seq), [1, 2, 2, 3, 4, 5]);
    // Published (sent) only after commit, once each, in sequence order.
    assert.deepEqual(seen.map((e) => e.seq), [1, 2, 3, 4, 5]);
    assert.deepEqual((await readEvents(s.db.sql, chatId, 0)).map((e) => e.body), [notice('first'), text('ab'), notice('message'), notice('usage'), text('c')]);
  });

  it('writes what is emitted back to back (a message and its usage) in one write, even when the writer was idle', async () => {
    const chatId = await newChat();
    const f = await feed();
    const writes: ChatEventBody[][] = [];
    const appendMany = f.appendMany.bind(f);
    f.appendMany = (id, bodies) => { writes.push(bodies); return appendMany(id, bodies); };
    const writer = new ChatWriter(f, chatId);
    const [message, usage] = await Promise.all([writer.emit(notice('message')), writer.emit(notice('usage'))]);
    assert.deepEqual(writes, [[notice('message'), notice('usage')]]);
    assert.deepEqual([message.seq, usage.seq], [1, 2]);
    await writer.flush();
  });

  it('fails every queued emit when a batch fails, and writes nothing of it', async () => {
    const chatId = await newChat();
    const f = await feed();
    const writer = new ChatWriter(f, chatId);
    const first = writer.emit(notice('ok'));
    await Promise.resolve(); // 'ok' goes alone; the rest queue behind it
    const bad = writer.emit({ text: 'no type' } as never);
    const behind = writer.emit(notice('behind'));
    await first;
    await assert.rejects(bad);
    await assert.rejects(behind);
    await assert.rejects(writer.emit(notice('later')));
    assert.deepEqual((await readEvents(s.db.sql, chatId, 0)).map((e) => e.body), [notice('ok')]);
  });

  it('loses nothing when the writing process dies between persist and send: other processes hear it, a client resumes from the last seq it saw', async () => {
    const chatId = await newChat();
    const dying = await feed();
    const other = await feed();
    const heard: number[] = [];
    other.listen(chatId, (seq) => heard.push(seq));
    // The writing process: its own subscribers saw seq 1, then it died after the batch's commit and before publishing it.
    const live: number[] = [];
    dying.listen(chatId, (seq) => live.push(seq));
    await new ChatWriter(dying, chatId).emit(notice('seen'));
    dying.publish = () => { throw new Error('killed'); };
    await assert.rejects(dying.appendMany(chatId, [notice('x'), text('y'), notice('z')]), /killed/);
    assert.deepEqual(live, [1]);
    // Another server process hears every event, in order, from the commit's NOTIFYs.
    await waitFor(async () => heard.length >= 4 || undefined, { timeoutMs: 10_000, what: 'the other process hears all four events' });
    assert.deepEqual(heard, [1, 2, 3, 4]);
    // A client that saw seq 1 resumes from it and gets the batch whole and in order.
    assert.deepEqual((await readEvents(s.db.sql, chatId, 1)).map((e) => [e.seq, e.body]), [[2, notice('x')], [3, text('y')], [4, notice('z')]]);
  });
});
