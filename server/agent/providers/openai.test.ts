import assert from 'node:assert/strict';
import { sampleConversation, sampleTools } from '../testing/conversation-fixture';
import { startOpenAIScriptServer } from '../testing/openai-script-server';
import { describeProviderContract, FAST_RETRIES, simpleRequest, TEST_KEY } from '../testing/provider-contract';
import type { ScriptServer } from '../testing/script-server';
import { collectAssistantTurn } from './assistant-turn';
import { createOpenAIProvider } from './openai';
import { withRetry } from './retry';

describeProviderContract('openai', {
  startServer: startOpenAIScriptServer,
  createProvider: ({ retry, ...config }) => withRetry(createOpenAIProvider(config), { policy: retry }),
  expectedUsage: (usage) => ({
    inputTokens: usage.input,
    outputTokens: usage.output,
    cacheReadTokens: usage.cacheRead ?? 0,
    cacheWriteTokens: 0,
  }),
});

describe('openai provider requests', () => {
  let server: ScriptServer;
  afterEach(() => server.close());

  it('sends the model, system prompt, messages, tools and limits in Chat Completions form', async () => {
    server = await startOpenAIScriptServer([{ reply: [{ text: 'ok' }] }], { apiKey: TEST_KEY });
    const provider = createOpenAIProvider({ baseUrl: server.baseUrl, apiKey: TEST_KEY, model: 'gpt-test' });
    await collectAssistantTurn(provider.stream({
      system: 'You build apps.', messages: sampleConversation, tools: sampleTools, maxTokens: 2048,
    }));

    const [request] = server.requests;
    assert.ok(request);
    assert.equal(request.path, '/v1/chat/completions');
    assert.equal(request.headers.authorization, `Bearer ${TEST_KEY}`);
    const { body } = request;
    assert.equal(body.model, 'gpt-test');
    assert.equal(body.stream, true);
    assert.deepEqual(body.stream_options, { include_usage: true });
    assert.equal(body.max_tokens, 2048, 'a custom endpoint gets the classic max_tokens');
    assert.deepEqual(body.messages, [
      { role: 'system', content: 'You build apps.' },
      { role: 'user', content: 'Make a todo app.' },
      {
        role: 'assistant',
        content: 'Let me look around first.',
        tool_calls: [
          { id: 'call_read', type: 'function', function: { name: 'read_file', arguments: '{"path":"package.json"}' } },
          { id: 'call_list', type: 'function', function: { name: 'list_dir', arguments: '{"path":"src"}' } },
        ],
      },
      { role: 'tool', tool_call_id: 'call_read', content: '{"name":"todo"}' },
      { role: 'tool', tool_call_id: 'call_list', content: 'Error: ENOENT: no such directory' },
      { role: 'user', content: 'Use TypeScript.' },
    ]);
    assert.deepEqual(body.tools, sampleTools.map((tool) => ({
      type: 'function',
      function: { name: tool.name, description: tool.description, parameters: tool.inputSchema },
    })));
  });

  it('uses the per-request model and leaves out empty tools and system prompt', async () => {
    server = await startOpenAIScriptServer([{ reply: [{ text: 'ok' }] }]);
    const provider = createOpenAIProvider({ baseUrl: server.baseUrl, apiKey: TEST_KEY, model: 'gpt-test', maxTokensField: 'max_completion_tokens' });
    await collectAssistantTurn(provider.stream(simpleRequest({ system: '', model: 'gpt-other', maxTokens: 77 })));
    const body = server.requests[0]?.body;
    assert.equal(body?.model, 'gpt-other');
    assert.equal(body?.max_completion_tokens, 77);
    assert.equal(body?.max_tokens, undefined);
    assert.equal(body?.tools, undefined);
    assert.deepEqual(body?.messages, [{ role: 'user', content: 'Hello' }]);
  });

  it('reports max_tokens and turns a cut-off tool input into an input error, not a crash', async () => {
    server = await startOpenAIScriptServer([{ reply: [{ toolCall: { name: 'write_file', args: {}, rawArgs: '{"path": "a", "content": "unfini' } }], stop: 'max_tokens' }]);
    const provider = withRetry(createOpenAIProvider({ baseUrl: server.baseUrl, apiKey: TEST_KEY, model: 'm' }), { policy: FAST_RETRIES });
    const turn = await collectAssistantTurn(provider.stream(simpleRequest()));
    assert.equal(turn.stop, 'max_tokens');
    assert.deepEqual(turn.toolCalls[0]?.input, {});
    assert.match(turn.toolCalls[0]?.inputError ?? '', /not valid JSON/);
  });

  it('treats a stream that goes silent as dropped, and retries it while nothing was shown', async () => {
    server = await startOpenAIScriptServer([{ reply: [{ text: 'too slow' }], delayMs: 400 }, { reply: [{ text: 'prompt' }] }]);
    const provider = withRetry(
      createOpenAIProvider({ baseUrl: server.baseUrl, apiKey: TEST_KEY, model: 'm', idleTimeoutMs: 150 }),
      { policy: FAST_RETRIES },
    );
    const turn = await collectAssistantTurn(provider.stream(simpleRequest()));
    assert.equal(turn.text, 'prompt');
    assert.equal(server.requests.length, 2);
    assert.equal(server.requests[0]?.clientClosed, true, 'the stalled request was hung up');
  });
});
