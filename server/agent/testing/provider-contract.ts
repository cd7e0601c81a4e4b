import assert from 'node:assert/strict';
import { setTimeout as delay } from 'node:timers/promises';
import { collectAssistantTurn } from '../providers/assistant-turn';
import type { ModelProvider, ModelRequest, StreamEvent, TokenUsage } from '../providers/provider';
import { ProviderError, type ProviderErrorCode } from '../providers/provider-errors';
import type { RetryPolicy } from '../providers/retry';
import type { ScriptTurn, ScriptUsage } from './script';
import type { ScriptServer, ScriptServerOptions } from './script-server';

/**
 * The behaviour every provider must show against its scripted server: streaming, tool calls,
 * usage, retries, drops, clear errors and cancellation. Each provider's test file runs it.
 */
export interface ContractSubject {
  startServer(turns: ScriptTurn[], options?: ScriptServerOptions): Promise<ScriptServer>;
  createProvider(settings: { baseUrl: string; apiKey: string; model: string; retry: Partial<RetryPolicy> }): ModelProvider;
  /** What the provider should report for `usage` as this wire format states it. */
  expectedUsage(usage: ScriptUsage): TokenUsage;
}

export const FAST_RETRIES: Partial<RetryPolicy> = { maxAttempts: 3, baseDelayMs: 10, maxDelayMs: 40 };
export const TEST_KEY = 'sk-test-contract-0123456789';

export const simpleRequest = (overrides: Partial<ModelRequest> = {}): ModelRequest => ({
  system: 'You build apps.',
  messages: [{ role: 'user', content: 'Hello' }],
  tools: [],
  maxTokens: 1024,
  ...overrides,
});

/** Runs the stream and returns the ProviderError it must end with, plus what came before. */
export async function expectFailure(stream: AsyncIterable<StreamEvent>): Promise<{ error: ProviderError; events: StreamEvent[] }> {
  const events: StreamEvent[] = [];
  try {
    for await (const event of stream) events.push(event);
  } catch (error) {
    assert.ok(error instanceof ProviderError, `expected a ProviderError, got ${String(error)}`);
    return { error, events };
  }
  assert.fail(`expected the stream to fail; it yielded ${JSON.stringify(events)}`);
}

export function describeProviderContract(name: string, subject: ContractSubject): void {
  describe(`${name} provider contract`, () => {
    let server: ScriptServer;
    const servers: ScriptServer[] = [];
    const start = async (turns: ScriptTurn[], options?: ScriptServerOptions) => {
      server = await subject.startServer(turns, options);
      servers.push(server);
      return server;
    };
    const provider = (apiKey = TEST_KEY, model = 'test-model') =>
      subject.createProvider({ baseUrl: server.baseUrl, apiKey, model, retry: FAST_RETRIES });
    const run = (request = simpleRequest()) => collectAssistantTurn(provider().stream(request));
    const failure = async (code: ProviderErrorCode, request = simpleRequest(), apiKey?: string) => {
      const { error } = await expectFailure(provider(apiKey).stream(request));
      assert.equal(error.reason, code, error.message);
      return error;
    };

    afterEach(async () => {
      await Promise.all(servers.splice(0).map((s) => s.close()));
    });

    it('streams text in order and stops with end_turn', async () => {
      await start([{ reply: [{ text: ['Hel', 'lo', ', world'] }] }]);
      const turn = await run();
      const deltas = turn.events.flatMap((e) => (e.type === 'text_delta' ? [e.text] : []));
      assert.deepEqual(deltas, ['Hel', 'lo', ', world']);
      assert.equal(turn.stop, 'end_turn');
      assert.deepEqual(turn.events.at(-1), { type: 'stop', reason: 'end_turn' });
      assert.deepEqual(turn.message, { role: 'assistant', content: [{ type: 'text', text: 'Hello, world' }] });
    });

    it('assembles a tool call whose arguments arrive in fragments', async () => {
      const args = { path: 'src/app.ts', content: 'const s = "quoted \\"text\\"";\nexport {};\n', mode: 420 };
      await start([{ reply: [{ toolCall: { name: 'write_file', args, fragments: 5 } }] }]);
      const turn = await run();
      const deltas = turn.events.flatMap((e) => (e.type === 'tool_call_delta' ? [e.inputDelta] : []));
      assert.ok(deltas.length >= 4, `expected several fragments, got ${deltas.length}`);
      assert.deepEqual(JSON.parse(deltas.join('')), args);
      assert.equal(turn.events[0]?.type, 'tool_call_start');
      assert.equal(turn.toolCalls.length, 1);
      assert.equal(turn.toolCalls[0]?.name, 'write_file');
      assert.deepEqual(turn.toolCalls[0]?.input, args);
      assert.equal(turn.toolCalls[0]?.inputError, undefined);
      assert.equal(turn.stop, 'tool_use');
    });

    it('reports several tool calls of one turn, in order, after the text', async () => {
      await start([{
        reply: [
          { text: 'Let me look.' },
          { toolCall: { name: 'read_file', args: { path: 'a.txt' }, id: 'call_a' } },
          { toolCall: { name: 'list_dir', args: { path: '.', depth: 2 }, id: 'call_b' } },
        ],
      }]);
      const turn = await run();
      assert.equal(turn.text, 'Let me look.');
      assert.deepEqual(turn.toolCalls.map((c) => [c.id, c.name, c.input]), [
        ['call_a', 'read_file', { path: 'a.txt' }],
        ['call_b', 'list_dir', { path: '.', depth: 2 }],
      ]);
      const starts = turn.events.flatMap((e) => (e.type === 'tool_call_start' ? [e.id] : []));
      assert.deepEqual(starts, ['call_a', 'call_b']);
      assert.equal(turn.stop, 'tool_use');
    });

    it('reports usage, cached tokens included, before the stop event', async () => {
      const usage = { input: 1500, output: 42, cacheRead: 1024, cacheWrite: 256 };
      await start([{ reply: [{ text: 'ok' }], usage }]);
      const turn = await run();
      assert.deepEqual(turn.usage, subject.expectedUsage(usage));
      assert.deepEqual(turn.events.slice(-2).map((e) => e.type), ['usage', 'stop']);
    });

    it('retries a 429 after the Retry-After it was given', async () => {
      await start([{ fault: 'rate_limited', retryAfterSeconds: 1 }, { reply: [{ text: 'after the wait' }] }]);
      const started = Date.now();
      const turn = await run();
      const elapsed = Date.now() - started;
      assert.equal(turn.text, 'after the wait');
      assert.equal(server.requests.length, 2);
      assert.ok(elapsed >= 950, `waited only ${elapsed} ms; backoff alone would be ~10 ms`);
    });

    it('retries a 500 and then succeeds', async () => {
      await start([{ fault: 'server_error' }, { reply: [{ text: 'second time lucky' }] }]);
      const turn = await run();
      assert.equal(turn.text, 'second time lucky');
      assert.equal(server.requests.length, 2);
    });

    it('retries an in-stream provider error that came before any output', async () => {
      await start([{ reply: [{ text: 'never seen' }], errorAfter: 1 }, { reply: [{ text: 'fresh' }] }]);
      const turn = await run();
      assert.equal(turn.text, 'fresh');
      assert.equal(server.requests.length, 2);
    });

    it('retries a stream that drops before any output, without duplicating events', async () => {
      await start([{ reply: [{ text: 'lost' }], dropAfter: 1 }, { reply: [{ text: ['only ', 'once'] }] }]);
      const turn = await run();
      assert.deepEqual(turn.events.filter((e) => e.type === 'text_delta'), [
        { type: 'text_delta', text: 'only ' },
        { type: 'text_delta', text: 'once' },
      ]);
      assert.equal(server.requests.length, 2);
    });

    for (const dropHow of ['reset', 'end'] as const) {
      it(`surfaces a drop after output as interrupted and does not re-send (${dropHow})`, async () => {
        await start([
          { reply: [{ text: ['partial ', 'answer ', 'never finished'] }], dropAfter: 4, dropHow },
          { reply: [{ text: 'a retry would have got this' }] },
        ]);
        const { error, events } = await expectFailure(provider().stream(simpleRequest()));
        assert.equal(error.reason, 'interrupted', error.message);
        assert.ok(events.some((e) => e.type === 'text_delta'), 'output reached the caller before the drop');
        assert.ok(!events.some((e) => e.type === 'stop'));
        assert.equal(server.requests.length, 1);
        assert.equal(server.remaining(), 1);
      });
    }

    it('gives up on a persistent 429 with a rate_limited error after the configured attempts', async () => {
      await start([0, 0, 0, 0].map(() => ({ fault: 'rate_limited' as const, retryAfterSeconds: 0 })));
      const error = await failure('rate_limited');
      assert.equal(error.attempts, 3);
      assert.equal(server.requests.length, 3);
      assert.match(error.message, /rate limit/i);
    });

    it('reports a bad API key clearly, once, and never repeats the key', async () => {
      await start([{ reply: [{ text: 'unreachable' }] }], { apiKey: 'sk-the-right-key-000000' });
      const error = await failure('auth_failed', simpleRequest(), TEST_KEY);
      assert.match(error.message, /API key/);
      assert.equal(server.requests.length, 1, 'auth failures are not retried');
      for (const text of [error.message, error.detail ?? '', JSON.stringify(error), String(error.stack)]) {
        assert.ok(!text.includes(TEST_KEY), `the key leaked into: ${text}`);
      }
    });

    it('reports an unknown model by name', async () => {
      await start([{ fault: 'unknown_model' }]);
      const error = await failure('model_not_found', simpleRequest({ model: 'no-such-model' }));
      assert.match(error.message, /"no-such-model"/);
      assert.equal(server.requests.length, 1);
    });

    it('reports a context that is too long', async () => {
      await start([{ fault: 'context_too_long' }]);
      const error = await failure('context_too_long');
      assert.match(error.message, /too long/);
    });

    it('reports an unreachable provider as unavailable after retrying', async () => {
      await start([]);
      const baseUrl = server.baseUrl;
      await server.close();
      const { error } = await expectFailure(
        subject.createProvider({ baseUrl, apiKey: TEST_KEY, model: 'm', retry: FAST_RETRIES }).stream(simpleRequest()),
      );
      assert.equal(error.reason, 'unavailable', error.message);
      assert.equal(error.attempts, 3);
    });

    it('cancels a slow stream promptly when the signal aborts, and hangs up on the server', async () => {
      const chunks = Array.from({ length: 40 }, (_, i) => `word${i} `);
      await start([{ reply: [{ text: chunks }], delayMs: 100 }, { reply: [{ text: 'must not be requested' }] }]);
      const controller = new AbortController();
      const stream = provider().stream(simpleRequest({ signal: controller.signal }));
      let abortedAt = 0;
      const { error, events } = await expectFailure((async function* () {
        for await (const event of stream) {
          yield event;
          if (event.type === 'text_delta' && abortedAt === 0) {
            abortedAt = Date.now();
            controller.abort();
          }
        }
      })());
      const took = Date.now() - abortedAt;
      assert.equal(error.reason, 'aborted', error.message);
      assert.ok(took < 300, `cancellation took ${took} ms`);
      assert.ok(events.length < 5);
      await delay(50);
      assert.equal(server.requests.length, 1, 'an aborted request is not retried');
      assert.equal(server.requests[0]?.clientClosed, true, 'the HTTP request was cancelled');
    });

    it('fails at once, without a request, when the signal is already aborted', async () => {
      await start([{ reply: [{ text: 'x' }] }]);
      await failure('aborted', simpleRequest({ signal: AbortSignal.abort() }));
      assert.equal(server.requests.length, 0);
    });
  });
}
