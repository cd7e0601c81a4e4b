import assert from 'node:assert/strict';
import { startAnthropicScriptServer } from '../testing/anthropic-script-server';
import { sampleConversation, sampleTools } from '../testing/conversation-fixture';
import { describeProviderContract, simpleRequest, TEST_KEY } from '../testing/provider-contract';
import type { ScriptServer } from '../testing/script-server';
import { createAnthropicProvider } from './anthropic';
import { collectAssistantTurn } from './assistant-turn';
import { withRetry } from './retry';

describeProviderContract('anthropic', {
  startServer: startAnthropicScriptServer,
  createProvider: ({ retry, ...config }) => withRetry(createAnthropicProvider(config), { policy: retry }),
  expectedUsage: (usage) => ({
    inputTokens: usage.input + (usage.cacheRead ?? 0) + (usage.cacheWrite ?? 0),
    outputTokens: usage.output,
    cacheReadTokens: usage.cacheRead ?? 0,
    cacheWriteTokens: usage.cacheWrite ?? 0,
  }),
});

describe('anthropic provider requests', () => {
  let server: ScriptServer;
  afterEach(() => server.close());

  it('sends the Messages form with cache breakpoints on system, last tool and last block', async () => {
    server = await startAnthropicScriptServer([{ reply: [{ text: 'ok' }] }], { apiKey: TEST_KEY });
    const provider = createAnthropicProvider({ baseUrl: server.baseUrl, apiKey: TEST_KEY, model: 'claude-test' });
    await collectAssistantTurn(provider.stream({
      system: 'You build apps.', messages: sampleConversation, tools: sampleTools, maxTokens: 4096,
    }));

    const [request] = server.requests;
    assert.ok(request);
    assert.equal(request.path, '/v1/messages');
    // SDK 1.x speaks API version 2026-10-21, which takes the key as a bearer token.
    assert.equal(request.headers.authorization, `Bearer ${TEST_KEY}`);
    assert.match(request.headers['anthropic-version'] ?? '', /^\d{4}-\d{2}-\d{2}$/);
    const { body } = request;
    assert.equal(body.model, 'claude-test');
    assert.equal(body.max_tokens, 4096);
    assert.equal(body.stream, true);
    const cache = { type: 'ephemeral' };
    assert.deepEqual(body.system, [{ type: 'text', text: 'You build apps.', cache_control: cache }]);
    assert.deepEqual(body.tools, [
      { name: 'read_file', description: sampleTools[0]?.description, input_schema: sampleTools[0]?.inputSchema },
      { name: 'list_dir', description: sampleTools[1]?.description, input_schema: sampleTools[1]?.inputSchema, cache_control: cache },
    ]);
    assert.deepEqual(body.messages, [
      { role: 'user', content: [{ type: 'text', text: 'Make a todo app.' }] },
      {
        role: 'assistant',
        content: [
          { type: 'text', text: 'Let me look around first.' },
          { type: 'tool_use', id: 'call_read', name: 'read_file', input: { path: 'package.json' } },
          { type: 'tool_use', id: 'call_list', name: 'list_dir', input: { path: 'src' } },
        ],
      },
      {
        role: 'user',
        content: [
          { type: 'tool_result', tool_use_id: 'call_read', content: '{"name":"todo"}' },
          { type: 'tool_result', tool_use_id: 'call_list', content: 'ENOENT: no such directory', is_error: true },
          { type: 'text', text: 'Use TypeScript.', cache_control: cache },
        ],
      },
    ]);
  });

  it('uses the per-request model and leaves out empty tools and system prompt', async () => {
    server = await startAnthropicScriptServer([{ reply: [{ text: 'ok' }] }]);
    const provider = createAnthropicProvider({ baseUrl: server.baseUrl, apiKey: TEST_KEY, model: 'claude-test' });
    await collectAssistantTurn(provider.stream(simpleRequest({ system: '', model: 'claude-other' })));
    const body = server.requests[0]?.body;
    assert.equal(body?.model, 'claude-other');
    assert.equal(body?.system, undefined);
    assert.equal(body?.tools, undefined);
  });

  it('turns a tool input cut off by max_tokens into an input error, not a crash', async () => {
    server = await startAnthropicScriptServer([{ reply: [{ toolCall: { name: 'write_file', args: {}, rawArgs: '{"path": "a", "content": "unfini' } }], stop: 'max_tokens' }]);
    const provider = createAnthropicProvider({ baseUrl: server.baseUrl, apiKey: TEST_KEY, model: 'claude-test' });
    const turn = await collectAssistantTurn(provider.stream(simpleRequest()));
    assert.equal(turn.stop, 'max_tokens');
    assert.deepEqual(turn.toolCalls[0]?.input, {});
    assert.match(turn.toolCalls[0]?.inputError ?? '', /not valid JSON/);
  });
});
