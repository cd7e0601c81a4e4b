import assert from 'node:assert/strict';
import type { ChatEventBody } from '../../../protocol/chat';
import { silentLogger } from '../../log';
import { startTestServer, type TestServer } from '../../testing/test-server';
import { insertChat } from '../chats/chat-store';
import { ChatFeed } from './chat-feed';
import { ChatHistory } from './chat-history';
import { readEvents } from './event-store';

const notice = (message: string): ChatEventBody => ({ type: 'notice', message });

/** A chat's events kept between turns: what a turn reads equals the log, and only what is new comes from the database. */
describe('chat history between turns', function () {
  this.timeout(20_000);
  let s: TestServer;
  let feed: ChatFeed;
  let projectId: string;
  let userId: string;
  const newChat = async () => (await insertChat(s.db.sql, { projectId, title: 't', userId })).id;
  /** Changes a stored event behind the history's back: shows whether a read went to the database for it. */
  const tamper = (chatId: string, seq: number) => s.db.sql`UPDATE chat_events SET body = ${s.db.sql.json(notice('changed') as never)} WHERE chat_id = ${chatId} AND seq = ${seq}`;

  before(async () => {
    s = await startTestServer();
    const user = await s.signUp('history');
    userId = user.session.user.id;
    projectId = (await s.call('POST', '/api/projects', { token: user.token, body: { teamId: user.teamId, name: 'h', start: false } })).body.id;
    feed = new ChatFeed(s.db.sql, silentLogger());
  });
  after(() => s?.close());

  it('returns the whole log in order, reading from the database only what came after the last event it kept', async () => {
    const chatId = await newChat();
    const history = new ChatHistory();
    await feed.appendMany(chatId, [notice('1'), notice('2')]);
    assert.deepEqual((await history.read(s.db.sql, chatId)).map((e) => e.seq), [1, 2]);
    await feed.appendMany(chatId, [notice('3'), notice('4'), notice('5')]);
    await tamper(chatId, 1);
    const second = await history.read(s.db.sql, chatId);
    assert.deepEqual(second.map((e) => e.seq), [1, 2, 3, 4, 5]);
    assert.deepEqual(second[0]!.body, notice('1'), 'seq 1 came from what was kept, not read again');
    assert.deepEqual(second.slice(1).map((e) => e.body), (await readEvents(s.db.sql, chatId, 1)).map((e) => e.body));
    // Nothing new: the same log.
    assert.deepEqual((await history.read(s.db.sql, chatId)).map((e) => e.seq), [1, 2, 3, 4, 5]);
  });

  it('keeps at most `keep` chats, dropping the least recently used, which are then read whole again', async () => {
    const [a, b] = [await newChat(), await newChat()];
    const history = new ChatHistory(1);
    await feed.append(a, notice('a1'));
    await feed.append(b, notice('b1'));
    await history.read(s.db.sql, a);
    await history.read(s.db.sql, b); // a is dropped
    await tamper(a, 1);
    await tamper(b, 1);
    assert.deepEqual((await history.read(s.db.sql, a))[0]!.body, notice('changed'), 'a was read whole again');
    assert.deepEqual((await history.read(s.db.sql, b))[0]!.body, notice('changed'), 'b was dropped when a came back');
  });

  it('holds about `maxBytes` of events: the least recently used go first, and a chat larger than that alone is not kept', async () => {
    const [a, b, big] = [await newChat(), await newChat(), await newChat()];
    const history = new ChatHistory(32, 3000);
    await feed.append(a, notice('a'.repeat(1000)));
    await feed.append(b, notice('b'.repeat(1000)));
    await feed.append(big, notice('x'.repeat(4000)));
    await history.read(s.db.sql, a);
    await history.read(s.db.sql, b);
    assert.equal(history.held.chats, 2);
    await feed.append(b, notice('b'.repeat(1000))); // b grows past the budget with a: a goes
    await history.read(s.db.sql, b);
    assert.deepEqual(history.held.chats, 1);
    assert.ok(history.held.bytes <= 3000 && history.held.bytes > 2000, JSON.stringify(history.held));
    await tamper(a, 1);
    assert.deepEqual((await history.read(s.db.sql, a))[0]!.body, notice('changed'), 'a was read whole again');
    assert.equal((await history.read(s.db.sql, big)).length, 1);
    await tamper(big, 1);
    assert.deepEqual((await history.read(s.db.sql, big))[0]!.body, notice('changed'), 'the big chat was never kept');
    assert.ok(history.held.bytes <= 3000, JSON.stringify(history.held));
  });

  it('gives turns that read at the same time the same log', async () => {
    const chatId = await newChat();
    const history = new ChatHistory();
    await feed.appendMany(chatId, [notice('1'), notice('2'), notice('3')]);
    const [x, y] = await Promise.all([history.read(s.db.sql, chatId), history.read(s.db.sql, chatId)]);
    assert.deepEqual(x.map((e) => e.seq), [1, 2, 3]);
    assert.deepEqual(y.map((e) => e.seq), [1, 2, 3]);
    await feed.append(chatId, notice('4'));
    assert.deepEqual((await history.read(s.db.sql, chatId)).map((e) => e.seq), [1, 2, 3, 4]);
  });
});
