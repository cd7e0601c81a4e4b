import assert from 'node:assert/strict';
import { startTestServer, type TestServer } from '../testing/test-server';
import { waitFor } from '../testing/wait-for';
import { silentLogger } from '../log';
import { startServer, type RunningServer } from '../server';
import { agentTestConfig } from './testing/agent-config';
import { ChatTestClient, ofType } from './testing/chat-client';
import { startAnthropicScriptServer } from './testing/anthropic-script-server';
import { startOpenAIScriptServer } from './testing/openai-script-server';
import type { ScriptServer } from './testing/script-server';

const KEY = 'sk-test-agent-0123456789';

/** Chats without a sandbox: streaming, the event log, fan-out, model settings, provider failures, restarts. */
describe('agent chats (no sandbox)', function () {
  this.timeout(15_000);
  let s: TestServer;
  let model: ScriptServer;
  let user: Awaited<ReturnType<TestServer['signUp']>>;
  let projectId: string;
  const clients: ChatTestClient[] = [];
  /** Where clients connect: the first server, then the one that takes over after a restart. */
  let serverUrl = () => s.url;
  const client = async (token = user.token) => {
    const c = await ChatTestClient.open(serverUrl(), token);
    clients.push(c);
    return c;
  };
  const newChat = async (c: ChatTestClient) => {
    const { chat } = await c.request<{ chat: { id: string } }>('chats.create', { projectId, title: 'test' });
    await c.request('chat.subscribe', { chatId: chat.id, fromSeq: 0 });
    return chat.id;
  };
  const useTeamModel = () => s.call('PUT', `/api/teams/${user.teamId}/model`, { token: user.token, body: { kind: 'openai', model: 'test-model', baseUrl: model.baseUrl, apiKey: KEY } });

  before(async () => {
    model = await startOpenAIScriptServer([], { apiKey: KEY });
    // No server-wide model: the team configures its own below, on loopback, which the admin allows.
    s = await startTestServer({ agent: agentTestConfig(null, { modelHostAllowList: ['127.0.0.1/32'] }) });
    user = await s.signUp('chatter');
    projectId = (await s.call('POST', '/api/projects', { token: user.token, body: { teamId: user.teamId, name: 'talk', start: false } })).body.id;
  });
  after(async () => {
    await Promise.all(clients.map((c) => c.close()));
    await s?.close();
    await model?.close();
  });

  it('answers with how to configure a model when there is none', async () => {
    const c = await client();
    const chatId = await newChat(c);
    const { turnId } = await c.request<{ turnId: string }>('chat.send', { chatId, text: 'Hello?' });
    const done = await c.done(chatId, turnId);
    assert.equal(done.status, 'failed');
    const [error] = ofType(c.of(chatId), 'error');
    assert.equal(error?.code, 'no_model');
    assert.match(error!.message, /PUT \/api\/teams\/<teamId>\/model/);
    assert.match(error!.message, /SLIPWAY_MODEL_PROVIDER/);
    const described = await s.call('GET', `/api/teams/${user.teamId}/model`, { token: user.token });
    assert.equal(described.body.source, 'none');
  });

  it('stores the team model with its key encrypted and never returns the key', async () => {
    const res = await useTeamModel();
    assert.equal(res.status, 200, JSON.stringify(res.body));
    assert.deepEqual(res.body, { source: 'team', kind: 'openai', model: 'test-model', baseUrl: model.baseUrl, hasApiKey: true, contextTokens: null, supportsImages: false });
    const [row] = await s.db.sql<{ apiKey: Buffer }[]>`SELECT api_key FROM team_model_settings WHERE team_id = ${user.teamId}`;
    assert.ok(!row!.apiKey.toString('latin1').includes(KEY), 'the key is not stored in clear');
    const other = await s.signUp('stranger');
    assert.equal((await s.call('GET', `/api/teams/${user.teamId}/model`, { token: other.token })).status, 404);
  });

  it('streams a reply to two watchers, and a late replay equals what they saw live', async () => {
    model.enqueue({ reply: [{ text: ['Hel', 'lo', ' there', ', friend.'] }], usage: { input: 120, output: 7, cacheRead: 100 } });
    const [a, b] = [await client(), await client()];
    const chatId = await newChat(a);
    await b.request('chat.subscribe', { chatId, fromSeq: 0 });
    const { turnId } = await a.request<{ turnId: string }>('chat.send', { chatId, text: 'Say hello' });
    const done = await a.done(chatId, turnId);
    await b.done(chatId, turnId);
    assert.equal(done.status, 'completed');
    const live = a.of(chatId);
    assert.deepEqual(live.map((e) => e.seq), live.map((_, i) => i + 1), 'sequence numbers are 1..n without gaps');
    assert.deepEqual(b.of(chatId), live);
    assert.equal(ofType(live, 'text_delta').map((d) => d.text).join(''), 'Hello there, friend.');
    const [message] = ofType(live, 'assistant_message');
    assert.deepEqual(message?.content, [{ type: 'text', text: 'Hello there, friend.' }]);
    const [usage] = ofType(live, 'usage');
    assert.deepEqual({ ...usage, costUsd: null }, { type: 'usage', model: 'test-model', inputTokens: 120, outputTokens: 7, cacheReadTokens: 100, cacheWriteTokens: 0, costUsd: null });
    const late = await client();
    await late.request('chat.subscribe', { chatId, fromSeq: 0 });
    await late.done(chatId, turnId);
    assert.deepEqual(late.of(chatId), live);
    const fromMiddle = await client();
    await fromMiddle.request('chat.subscribe', { chatId, fromSeq: 3 });
    await fromMiddle.done(chatId, turnId);
    assert.deepEqual(fromMiddle.of(chatId), live.slice(3));
    const rest = await s.call('GET', `/api/chats/${chatId}/events?after=0`, { token: user.token });
    assert.deepEqual(rest.body.items, live);
    const report = await s.call('GET', `/api/teams/${user.teamId}/usage`, { token: user.token });
    assert.equal(report.body.total.outputTokens >= 7, true);
    assert.equal(report.body.byChat.find((c: { chatId: string }) => c.chatId === chatId)?.inputTokens, 120);
  });

  it('sends the whole conversation back to the model on the next prompt', async () => {
    model.enqueue({ reply: [{ text: 'First answer.' }] }, { reply: [{ text: 'Second answer.' }] });
    const c = await client();
    const chatId = await newChat(c);
    const first = await c.request<{ turnId: string }>('chat.send', { chatId, text: 'one' });
    await c.done(chatId, first.turnId);
    const second = await c.request<{ turnId: string }>('chat.send', { chatId, text: 'two' });
    await c.done(chatId, second.turnId);
    const body = model.requests.at(-1)!.body as { messages: { role: string; content: unknown }[]; tools: unknown[] };
    assert.deepEqual(body.messages.filter((m) => m.role !== 'system').map((m) => [m.role, m.content]), [
      ['user', 'one'], ['assistant', 'First answer.'], ['user', 'two'],
    ]);
    assert.ok(body.tools.length >= 10, 'the tools are offered');
  });

  it('retries a rate-limited request and tells the chat', async () => {
    model.enqueue({ fault: 'rate_limited', retryAfterSeconds: 0 }, { reply: [{ text: 'Made it.' }] });
    const c = await client();
    const chatId = await newChat(c);
    const { turnId } = await c.request<{ turnId: string }>('chat.send', { chatId, text: 'try' });
    assert.equal((await c.done(chatId, turnId)).status, 'completed');
    const [notice] = ofType(c.of(chatId), 'notice');
    assert.match(notice!.message, /rate limiting.*Retrying/);
    assert.equal(ofType(c.of(chatId), 'text_delta').map((d) => d.text).join(''), 'Made it.');
  });

  it('fails clearly on a refused key, without showing the key', async () => {
    await s.call('PUT', `/api/teams/${user.teamId}/model`, { token: user.token, body: { kind: 'openai', model: 'test-model', baseUrl: model.baseUrl, apiKey: 'sk-wrong-key-abcdef123456' } });
    try {
      const c = await client();
      const chatId = await newChat(c);
      const { turnId } = await c.request<{ turnId: string }>('chat.send', { chatId, text: 'hi' });
      const done = await c.done(chatId, turnId);
      assert.equal(done.status, 'failed');
      const [error] = ofType(c.of(chatId), 'error');
      assert.equal(error?.code, 'auth_failed');
      assert.match(error!.message, /rejected the API key/);
      assert.doesNotMatch(JSON.stringify(c.of(chatId)), /sk-wrong-key/);
    } finally {
      await useTeamModel();
    }
  });

  it('compacts the conversation before the context window fills, and keeps the recent part', async () => {
    await s.call('PUT', `/api/teams/${user.teamId}/model`, { token: user.token, body: { kind: 'openai', model: 'test-model', baseUrl: model.baseUrl, contextTokens: 6000 } });
    try {
      const c = await client();
      const chatId = await newChat(c);
      const long = 'All about the first topic. '.repeat(700);
      model.enqueue({ reply: [{ text: 'Noted the long brief.' }] });
      await c.done(chatId, (await c.request<{ turnId: string }>('chat.send', { chatId, text: long })).turnId);
      model.enqueue({ reply: [{ text: 'SUMMARY: the user described the first topic at length.' }] }, { reply: [{ text: 'Answer after compaction.' }] });
      const { turnId } = await c.request<{ turnId: string }>('chat.send', { chatId, text: 'short follow-up' });
      assert.equal((await c.done(chatId, turnId)).status, 'completed');
      const [compaction] = ofType(c.of(chatId), 'compaction');
      assert.match(compaction!.summary, /SUMMARY: the user described/);
      assert.ok(compaction!.tokensAfter < compaction!.tokensBefore / 2, JSON.stringify(compaction));
      const summaryRequest = model.requests.at(-2)!.body as { messages: { content: string }[]; tools?: unknown };
      assert.equal(summaryRequest.tools, undefined, 'the summary request offers no tools');
      const sent = model.requests.at(-1)!.body as { messages: { role: string; content: string }[] };
      const texts = sent.messages.filter((m) => m.role === 'user').map((m) => m.content);
      assert.equal(texts.length, 2);
      assert.match(texts[0]!, /^\[Summary of the earlier conversation/);
      assert.equal(texts[1], 'short follow-up');
      assert.ok(!JSON.stringify(sent).includes('All about the first topic. All about'), 'the long message is gone');
    } finally {
      await useTeamModel();
    }
  });

  it('works the same with the Anthropic wire format', async () => {
    const anthropic = await startAnthropicScriptServer([{ reply: [{ text: ['Claude ', 'says ', 'hi.'] }], usage: { input: 50, output: 3, cacheRead: 40, cacheWrite: 5 } }], { apiKey: KEY });
    try {
      await s.call('PUT', `/api/teams/${user.teamId}/model`, { token: user.token, body: { kind: 'anthropic', model: 'claude-sonnet-4-6', baseUrl: anthropic.baseUrl, apiKey: KEY } });
      const c = await client();
      const chatId = await newChat(c);
      const { turnId } = await c.request<{ turnId: string }>('chat.send', { chatId, text: 'hello claude' });
      assert.equal((await c.done(chatId, turnId)).status, 'completed');
      assert.equal(ofType(c.of(chatId), 'text_delta').map((d) => d.text).join(''), 'Claude says hi.');
      const [usage] = ofType(c.of(chatId), 'usage');
      assert.equal(usage?.cacheReadTokens, 40);
      assert.ok(usage!.costUsd !== null && usage!.costUsd > 0, 'a known model has a cost');
    } finally {
      await useTeamModel();
      await anthropic.close();
    }
  });

  it('says so when a tool needs the sandbox and it is not running', async () => {
    model.enqueue({ reply: [{ toolCall: { name: 'list_files', args: {} } }] });
    const c = await client();
    const chatId = await newChat(c);
    const { turnId } = await c.request<{ turnId: string }>('chat.send', { chatId, text: 'look' });
    assert.equal((await c.done(chatId, turnId)).status, 'failed');
    const [error] = ofType(c.of(chatId), 'error');
    assert.equal(error?.code, 'sandbox_not_running');
    assert.match(error!.message, /start it first/);
  });

  it('cancels a streaming reply at once and aborts the model request', async () => {
    model.enqueue({ reply: [{ text: Array.from({ length: 100 }, (_, i) => `w${i} `) }], delayMs: 50 });
    const c = await client();
    const chatId = await newChat(c);
    const { turnId } = await c.request<{ turnId: string }>('chat.send', { chatId, text: 'long story' });
    await c.waitFor(chatId, (b) => b.type === 'text_delta');
    const started = Date.now();
    await c.request('chat.cancel', { chatId });
    const done = await c.done(chatId, turnId);
    assert.equal(done.status, 'cancelled');
    assert.ok(Date.now() - started < 1000, `cancel took ${Date.now() - started} ms`);
    await waitFor(async () => model.requests.at(-1)!.clientClosed, { what: 'the model request to be aborted', timeoutMs: 3000 });
    await assert.rejects(c.request('chat.send', { chatId: '00000000-0000-4000-8000-000000000000', text: 'x' }), /not_found/);
  });

  it('refuses a second prompt while a turn runs, and outsiders entirely', async () => {
    model.enqueue({ reply: [{ text: ['slow', ' reply'] }], delayMs: 100 });
    const c = await client();
    const chatId = await newChat(c);
    const { turnId } = await c.request<{ turnId: string }>('chat.send', { chatId, text: 'first' });
    await assert.rejects(c.request('chat.send', { chatId, text: 'second' }), /conflict/);
    await c.done(chatId, turnId);
    const outsider = await s.signUp('outsider');
    const o = await client(outsider.token);
    await assert.rejects(o.request('chat.subscribe', { chatId, fromSeq: 0 }), /not_found/);
    await assert.rejects(o.request('chat.send', { chatId, text: 'hijack' }), /not_found/);
    await assert.rejects(o.request('chats.list', { projectId }), /not_found/);
  });

  it('delivers every event exactly once to subscribers joining while events are written', async () => {
    const c = await client();
    const chatId = await newChat(c);
    const agent = s.agent;
    const writes = (async () => {
      for (let i = 0; i < 150; i++) await agent.feed.append(chatId, { type: 'notice', message: `n${i}` });
    })();
    const joiners: ChatTestClient[] = [];
    for (let i = 0; i < 6; i++) {
      await new Promise((r) => setTimeout(r, 5 + i * 7));
      const j = await client();
      await j.request('chat.subscribe', { chatId, fromSeq: i * 10 });
      joiners.push(j);
    }
    await writes;
    for (const [i, j] of joiners.entries()) {
      await j.waitFor(chatId, (b) => b.type === 'notice' && b.message === 'n149');
      assert.deepEqual(j.of(chatId).map((e) => e.seq), Array.from({ length: 150 - i * 10 }, (_, k) => i * 10 + k + 1));
    }
  });

  it('marks turns interrupted on shutdown and after a crash, and resumes them', async () => {
    model.enqueue({ reply: [{ text: Array.from({ length: 50 }, () => 'zzz ') }], delayMs: 40 });
    const c = await client();
    const chatId = await newChat(c);
    const { turnId } = await c.request<{ turnId: string }>('chat.send', { chatId, text: 'work slowly' });
    await c.waitFor(chatId, (b) => b.type === 'text_delta');
    // A restart: this process's agent stops, another process (on the same database) takes over.
    await s.agent.stop();
    const done = await c.done(chatId, turnId);
    assert.equal(done.status, 'interrupted');
    assert.match(done.message ?? '', /Resume/);
    const restarted: RunningServer[] = [];
    const restart = async () => {
      const next = await startServer({ ...s.services.config, port: 0 }, silentLogger(), { sql: s.db.sql, runtime: null });
      restarted.push(next);
      serverUrl = () => next.url;
      return next;
    };
    try {
      const first = await restart();
      model.enqueue({ reply: [{ text: 'Resumed and finished.' }] });
      const fresh = await client();
      await fresh.request('chat.subscribe', { chatId, fromSeq: 0 });
      const resumed = await fresh.request<{ turnId: string }>('chat.resume', { chatId });
      assert.equal((await fresh.done(chatId, resumed.turnId)).status, 'completed');
      const sent = model.requests.at(-1)!.body as { messages: { role: string; content: unknown }[] };
      assert.equal(sent.messages.at(-1)?.role, 'user');
      assert.match(String(sent.messages.at(-1)?.content), /Continue the task/);

      // A crash: a turn owned by a process that no longer exists is swept when an agent starts.
      const crashed = await newChat(fresh);
      await s.db.sql`UPDATE chats SET state = 'running', turn_id = gen_random_uuid(), turn_owner = 'elsewhere:1:dead', turn_heartbeat_at = now() - interval '1 hour' WHERE id = ${crashed}`;
      await first.agent.stop();
      await restart();
      // Sockets belong to the agent of their process: after a restart clients reconnect.
      const reconnected = await client();
      await reconnected.request('chat.subscribe', { chatId: crashed, fromSeq: 0 });
      const swept = await reconnected.waitFor(crashed, (b) => b.type === 'done');
      assert.deepEqual([swept.body.type === 'done' && swept.body.status], ['interrupted']);
      const [row] = await s.db.sql<{ state: string }[]>`SELECT state FROM chats WHERE id = ${crashed}`;
      assert.equal(row!.state, 'interrupted');
    } finally {
      for (const server of restarted) await server.close();
    }
  });
});

