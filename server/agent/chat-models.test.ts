import assert from 'node:assert/strict';
import { startTestServer, type TestServer } from '../testing/test-server';
import { agentTestConfig } from './testing/agent-config';
import { ChatTestClient, ofType } from './testing/chat-client';
import { startAnthropicScriptServer } from './testing/anthropic-script-server';
import { startOpenAIScriptServer } from './testing/openai-script-server';
import type { ScriptServer } from './testing/script-server';
import type { ModelOption } from '../../protocol/chat-models';

const KEY = 'sk-test-models-0123456789';
const CLAUDE_KEY = 'sk-ant-test-models-987654321';

/** A team's several models, each chat's choice, and the turn going to the chosen provider and model. */
describe('models per chat', function () {
  this.timeout(20_000);
  let s: TestServer;
  let openai: ScriptServer;
  let anthropic: ScriptServer;
  let admin: Awaited<ReturnType<TestServer['signUp']>>;
  let projectId: string;
  let c: ChatTestClient;
  const ids: Record<string, string> = {};
  const models = (token = admin.token) => s.call('GET', `/api/teams/${admin.teamId}/models`, { token });
  const add = (body: Record<string, unknown>, token = admin.token) => s.call('POST', `/api/teams/${admin.teamId}/models`, { token, body });
  const newChat = async () => {
    const { chat } = await c.request<{ chat: { id: string; modelId: string | null } }>('chats.create', { projectId });
    assert.equal(chat.modelId, null, 'a new chat uses the team default');
    await c.request('chat.subscribe', { chatId: chat.id, fromSeq: 0 });
    return chat.id;
  };
  const turn = async (chatId: string, text = 'Hi') => {
    const { turnId } = await c.request<{ turnId: string }>('chat.send', { chatId, text });
    return c.done(chatId, turnId);
  };

  before(async () => {
    openai = await startOpenAIScriptServer([], { apiKey: KEY });
    anthropic = await startAnthropicScriptServer([], { apiKey: CLAUDE_KEY });
    s = await startTestServer({ agent: agentTestConfig(null, { modelHostAllowList: ['127.0.0.1/32'] }) });
    admin = await s.signUp('modeller');
    projectId = (await s.call('POST', '/api/projects', { token: admin.token, body: { teamId: admin.teamId, name: 'models', start: false } })).body.id;
    c = await ChatTestClient.open(s.url, admin.token);
  });
  after(async () => {
    await c?.close();
    await s?.close();
    await openai?.close();
    await anthropic?.close();
  });

  it('lists the default and the named models with context window and price (configured or known); admins add them, keys sealed', async () => {
    assert.deepEqual((await models()).body, { items: [] }, 'nothing configured, nothing to choose');
    assert.equal((await s.call('PUT', `/api/teams/${admin.teamId}/model`, { token: admin.token, body: { kind: 'openai', model: 'test-model', baseUrl: openai.baseUrl, apiKey: KEY } })).status, 200);
    const claude = await add({ name: 'Claude', kind: 'anthropic', model: 'claude-sonnet-4-6', baseUrl: anthropic.baseUrl, apiKey: CLAUDE_KEY });
    assert.equal(claude.status, 201, JSON.stringify(claude.body));
    const local = await add({ name: 'Local coder', kind: 'openai', model: 'qwen-coder', baseUrl: openai.baseUrl, apiKey: KEY, contextTokens: 32_000, price: { inputPerMTok: 0.1, outputPerMTok: 0.2 } });
    assert.equal(local.status, 201);
    ids.claude = claude.body.id;
    ids.local = local.body.id;
    const { items } = (await models()).body as { items: ModelOption[] };
    assert.deepEqual(items, [
      { id: null, name: 'Team default', kind: 'openai', model: 'test-model', contextTokens: 128_000, contextSource: 'assumed', price: null, priceSource: null },
      { id: ids.claude, name: 'Claude', kind: 'anthropic', model: 'claude-sonnet-4-6', contextTokens: 128_000, contextSource: 'assumed', price: { inputPerMTok: 3, outputPerMTok: 15 }, priceSource: 'known' },
      { id: ids.local, name: 'Local coder', kind: 'openai', model: 'qwen-coder', contextTokens: 32_000, contextSource: 'configured', price: { inputPerMTok: 0.1, outputPerMTok: 0.2 }, priceSource: 'configured' },
    ]);
    const ws = await c.request<{ models: ModelOption[] }>('models.list', { projectId });
    assert.deepEqual(ws.models, items, 'the socket and the REST API agree');
    assert.doesNotMatch(JSON.stringify(items), /sk-/);
    const rows = await s.db.sql<{ apiKey: Buffer }[]>`SELECT api_key FROM team_models WHERE team_id = ${admin.teamId}`;
    assert.ok(rows.every((r) => !r.apiKey.toString('latin1').includes('sk-')), 'keys are not stored in clear');

    assert.equal((await add({ name: 'Claude', kind: 'openai', model: 'x' })).status, 409, 'names are unique per team');
    assert.equal((await add({ name: 'Bad', kind: 'gemini', model: 'x' })).status, 422);
    const member = await s.signUp('member');
    await s.addMember(admin, admin.teamId, member);
    assert.equal((await add({ name: 'Mine', kind: 'openai', model: 'x' }, member.token)).status, 403, 'only admins add models');
    assert.equal((await models(member.token)).body.items.length, 3, 'members see them');
    const stranger = await s.signUp('stranger');
    assert.equal((await models(stranger.token)).status, 404);
  });

  it('sends each chat\'s turns to the provider and model it chose, priced at the configured or known price', async () => {
    const [byDefault, byClaude, byLocal] = [await newChat(), await newChat(), await newChat()];
    assert.deepEqual(await c.request('chat.setModel', { chatId: byClaude, modelId: ids.claude }), { chatId: byClaude, modelId: ids.claude });
    await c.request('chat.setModel', { chatId: byLocal, modelId: ids.local });
    const listed = await c.request<{ chats: { id: string; modelId: string | null }[] }>('chats.list', { projectId });
    assert.equal(listed.chats.find((ch) => ch.id === byClaude)?.modelId, ids.claude, 'the choice is stored on the chat');

    openai.enqueue({ reply: [{ text: 'default here' }] });
    anthropic.enqueue({ reply: [{ text: 'claude here' }], usage: { input: 1000, output: 100 } });
    openai.enqueue({ reply: [{ text: 'local here' }], usage: { input: 1000, output: 100 } });
    const [openaiBefore, anthropicBefore] = [openai.requests.length, anthropic.requests.length];
    assert.equal((await turn(byDefault)).status, 'completed');
    assert.equal((await turn(byClaude)).status, 'completed');
    assert.equal((await turn(byLocal)).status, 'completed');
    assert.deepEqual(openai.requests.slice(openaiBefore).map((r) => r.body.model), ['test-model', 'qwen-coder']);
    assert.deepEqual(anthropic.requests.slice(anthropicBefore).map((r) => [r.body.model, r.headers['x-api-key'] ?? r.headers.authorization]), [['claude-sonnet-4-6', `Bearer ${CLAUDE_KEY}`]]);
    assert.equal(ofType(c.of(byClaude), 'turn_started')[0]?.model, 'claude-sonnet-4-6');
    assert.equal(ofType(c.of(byClaude), 'usage')[0]?.costUsd, (1000 * 3 + 100 * 15) / 1e6, 'the known list price');
    assert.equal(ofType(c.of(byLocal), 'usage')[0]?.costUsd, (1000 * 0.1 + 100 * 0.2) / 1e6, 'the configured price');
  });

  it('refuses an unknown model, and a chat whose model was removed fails with a clear error until it chooses another', async () => {
    const chatId = await newChat();
    await assert.rejects(c.request('chat.setModel', { chatId, modelId: '00000000-0000-4000-8000-000000000000' }), /model_removed|no such model/);
    const other = await s.signUp('other-team');
    const theirs = await s.call('POST', `/api/teams/${other.teamId}/models`, { token: other.token, body: { name: 'Theirs', kind: 'openai', model: 'x', baseUrl: openai.baseUrl } });
    assert.equal(theirs.status, 201);
    await assert.rejects(c.request('chat.setModel', { chatId, modelId: theirs.body.id }), /no such model/, 'another team\'s model is not a choice');

    await c.request('chat.setModel', { chatId, modelId: ids.local });
    assert.equal((await s.call('DELETE', `/api/teams/${admin.teamId}/models/${ids.local}`, { token: admin.token })).status, 200);
    assert.equal((await s.call('DELETE', `/api/teams/${admin.teamId}/models/${ids.local}`, { token: admin.token })).status, 404);
    const requests = openai.requests.length + anthropic.requests.length;
    const failed = await turn(chatId);
    assert.equal(failed.status, 'failed');
    const [error] = ofType(c.of(chatId), 'error');
    assert.equal(error?.code, 'model_removed');
    assert.match(error!.message, /no longer one of the team's models.*\/model/);
    assert.equal(openai.requests.length + anthropic.requests.length, requests, 'no provider was called');

    await c.request('chat.setModel', { chatId, modelId: null });
    openai.enqueue({ reply: [{ text: 'back to default' }] });
    assert.equal((await turn(chatId)).status, 'completed');
    assert.equal(openai.requests.at(-1)?.body.model, 'test-model');
  });
});
