import assert from 'node:assert/strict';
import { startTestServer, type TestServer } from '../testing/test-server';
import { agentTestConfig } from './testing/agent-config';
import { probeAgent } from './testing/bench-hooks';
import { ChatTestClient } from './testing/chat-client';
import { startOpenAIScriptServer } from './testing/openai-script-server';
import type { ScriptServer } from './testing/script-server';

const KEY = 'sk-test-agent-0123456789';
const p50 = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? NaN;

describe('agent bench hooks', function () {
  this.timeout(30_000);
  let s: TestServer;
  let model: ScriptServer;
  before(async () => {
    model = await startOpenAIScriptServer([], { apiKey: KEY });
    s = await startTestServer({ agent: agentTestConfig(model.baseUrl) });
  });
  after(async () => {
    await s?.close();
    await model?.close();
  });

  it('measures per-turn overhead and token relay latency', async () => {
    const user = await s.signUp('bench');
    const projectId = (await s.call('POST', '/api/projects', { token: user.token, body: { teamId: user.teamId, name: 'bench', start: false } })).body.id;
    const client = await ChatTestClient.open(s.url, user.token);
    const { chat } = await client.request<{ chat: { id: string } }>('chats.create', { projectId });
    await client.request('chat.subscribe', { chatId: chat.id, fromSeq: 0 });
    const probe = probeAgent(s.services.agent!);
    try {
      for (let i = 0; i < 5; i++) {
        model.enqueue({ reply: [{ text: Array.from({ length: 20 }, (_, k) => `t${k} `) }], delayMs: 5 });
        const { turnId } = await client.request<{ turnId: string }>('chat.send', { chatId: chat.id, text: `turn ${i}` });
        await client.done(chat.id, turnId);
      }
      const overheads = probe.overheads();
      const latencies = probe.relayLatencies(client, chat.id);
      assert.equal(overheads.length, 5);
      assert.equal(latencies.length, 100);
      assert.ok(latencies.every((ms) => ms >= 0));
      console.log(`      agent overhead per turn p50 ${p50(overheads).toFixed(2)} ms; token relay p50 ${p50(latencies).toFixed(2)} ms`);
    } finally {
      probe.stop();
      await client.close();
    }
  });
});
