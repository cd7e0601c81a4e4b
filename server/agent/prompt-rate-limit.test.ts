import assert from 'node:assert/strict';
import { startTestServer, type TestServer } from '../testing/test-server';
import { agentTestConfig } from './testing/agent-config';
import { ChatTestClient } from './testing/chat-client';

describe('prompt rate limit', function () {
  this.timeout(30_000);
  let s: TestServer;
  before(async () => {
    s = await startTestServer({ agent: agentTestConfig(null), rateLimits: { prompt: { limit: 2, windowSeconds: 3600 } } });
  });
  after(async () => { await s?.close(); });

  it('refuses prompts over the per-user limit with rate_limited, and counts per user', async () => {
    const send = async (token: string) => {
      const me = await s.call('GET', '/api/me', { token });
      const projectId = (await s.call('POST', '/api/projects', { token, body: { teamId: me.body.teams[0].id, name: 'limited', start: false } })).body.id;
      const client = await ChatTestClient.open(s.url, token);
      const { chat } = await client.request<{ chat: { id: string } }>('chats.create', { projectId });
      await client.request('chat.subscribe', { chatId: chat.id, fromSeq: 0 });
      const outcomes: string[] = [];
      for (let i = 0; i < 3; i++) {
        try {
          const { turnId } = await client.request<{ turnId: string }>('chat.send', { chatId: chat.id, text: `prompt ${i}` });
          await client.done(chat.id, turnId);
          outcomes.push('sent');
        } catch (error) {
          outcomes.push((error as { error?: { code: string } }).error?.code ?? 'thrown');
        }
      }
      await client.close();
      return outcomes;
    };
    const a = await s.signUp('busy');
    const b = await s.signUp('calm');
    assert.deepEqual(await send(a.token), ['sent', 'sent', 'rate_limited']);
    assert.deepEqual((await send(b.token)).slice(0, 2), ['sent', 'sent'], 'another user has their own budget');
  });
});
