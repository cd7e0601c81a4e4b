import assert from 'node:assert/strict';
import { startAnthropicScriptServer } from './anthropic-script-server';
import { startOpenAIScriptServer } from './openai-script-server';
import type { ScriptServer } from './script-server';

/** The raw wire, read without an SDK: the framing must be exactly what the real APIs send. */
describe('scripted provider servers', () => {
  let server: ScriptServer;
  afterEach(() => server.close());

  const post = (path: string, body: unknown, headers: Record<string, string> = {}) =>
    fetch(`${server.baseUrl}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify(body),
    });

  it('OpenAI: data-only chunk frames, a usage chunk when asked, then [DONE]', async () => {
    server = await startOpenAIScriptServer([
      { reply: [{ text: ['a', 'b'] }, { toolCall: { name: 't', args: { x: 1 }, fragments: 2 } }], usage: { input: 7, output: 3 } },
    ]);
    const response = await post('/chat/completions', {
      model: 'gpt-x', messages: [], stream: true, stream_options: { include_usage: true },
    }, { authorization: 'Bearer k' });
    assert.equal(response.status, 200);
    assert.match(response.headers.get('content-type') ?? '', /^text\/event-stream/);
    const text = await response.text();
    assert.ok(text.endsWith('data: [DONE]\n\n'));
    const frames = text.split('\n\n').filter(Boolean);
    assert.ok(frames.every((f) => f.startsWith('data: ') && !f.includes('\n')), 'one data line per frame');
    const chunks = frames.slice(0, -1).map((f) => JSON.parse(f.slice(6)));
    assert.ok(chunks.every((c) => c.object === 'chat.completion.chunk' && c.model === 'gpt-x'));
    assert.deepEqual(chunks[0].choices[0].delta, { role: 'assistant', content: '', refusal: null });
    assert.equal(chunks.at(-2).choices[0].finish_reason, 'tool_calls');
    assert.deepEqual(chunks.at(-1).choices, []);
    assert.equal(chunks.at(-1).usage.prompt_tokens, 7);
    const args = chunks.flatMap((c) => c.choices[0]?.delta.tool_calls ?? []).map((t: { function: { arguments: string } }) => t.function.arguments);
    assert.equal(args.join(''), '{"x":1}');
    assert.equal(server.requests[0]?.headers.authorization, 'Bearer k');
  });

  it('OpenAI: no usage chunk unless stream_options asks; error JSON for faults and unknown paths', async () => {
    server = await startOpenAIScriptServer([{ reply: [{ text: 'a' }] }, { fault: 'rate_limited', retryAfterSeconds: 4 }]);
    const text = await (await post('/chat/completions', { model: 'm', messages: [], stream: true })).text();
    assert.ok(!text.includes('"usage"'));
    const limited = await post('/chat/completions', { model: 'm', messages: [], stream: true });
    assert.equal(limited.status, 429);
    assert.equal(limited.headers.get('retry-after'), '4');
    const body = await limited.json();
    assert.deepEqual(Object.keys(body.error).sort(), ['code', 'message', 'param', 'type']);
    assert.equal((await post('/nope', {})).status, 404);
    const exhausted = await post('/chat/completions', { model: 'm', messages: [], stream: true });
    assert.equal(exhausted.status, 500);
  });

  it('Anthropic: named events in the real order, a ping, and error JSON with request ids', async () => {
    server = await startAnthropicScriptServer([
      { reply: [{ text: 'hi' }, { toolCall: { name: 't', args: { y: 2 } } }] },
      { fault: 'overloaded' },
    ], { apiKey: 'k' });
    const headers = { authorization: 'Bearer k', 'anthropic-version': '2026-10-21' };
    const text = await (await post('/v1/messages', { model: 'c', max_tokens: 5, messages: [], stream: true }, headers)).text();
    const frames = text.split('\n\n').filter(Boolean).map((f) => {
      const [eventLine, dataLine, ...rest] = f.split('\n');
      assert.equal(rest.length, 0);
      const name = eventLine?.replace(/^event: /, '');
      const data = JSON.parse(dataLine?.replace(/^data: /, '') ?? '');
      assert.equal(data.type, name);
      return data;
    });
    assert.deepEqual(frames.map((f) => f.type), [
      'message_start', 'content_block_start', 'ping', 'content_block_delta', 'content_block_stop',
      'content_block_start', 'content_block_delta', 'content_block_delta', 'content_block_delta', 'content_block_delta', 'content_block_stop',
      'message_delta', 'message_stop',
    ]);
    assert.equal(frames[11].delta.stop_reason, 'tool_use');
    const overloaded = await post('/v1/messages', { model: 'c', max_tokens: 5, messages: [], stream: true }, headers);
    assert.equal(overloaded.status, 529);
    const body = await overloaded.json();
    assert.equal(body.type, 'error');
    assert.equal(body.error.type, 'overloaded_error');
    assert.equal(overloaded.headers.get('request-id'), body.request_id);
  });

  it('Anthropic: refuses a wrong key or a missing version header without using a turn', async () => {
    server = await startAnthropicScriptServer([{ reply: [{ text: 'hi' }] }], { apiKey: 'k' });
    const body = { model: 'c', max_tokens: 5, messages: [], stream: true };
    assert.equal((await post('/v1/messages', body, { 'x-api-key': 'wrong', 'anthropic-version': '2023-06-01' })).status, 401);
    assert.equal((await post('/v1/messages', body, { 'x-api-key': 'k' })).status, 400);
    assert.equal(server.remaining(), 1);
    assert.equal((await post('/v1/messages', body, { 'x-api-key': 'k', 'anthropic-version': '2023-06-01' })).status, 200);
    assert.equal(server.remaining(), 0);
    assert.equal(server.requests.length, 3);
  });
});
