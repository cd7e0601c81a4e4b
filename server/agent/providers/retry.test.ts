import assert from 'node:assert/strict';
import type { ModelProvider, ModelRequest, StreamEvent } from './provider';
import { ProviderError } from './provider-errors';
import { backoffDelay, defaultRetryPolicy, withRetry, type RetryNotice } from './retry';

const target = { label: 'Fake', model: 'fake-model' };
const request: ModelRequest = { system: '', messages: [{ role: 'user', content: 'hi' }], tools: [], maxTokens: 10 };
const done: StreamEvent[] = [{ type: 'text_delta', text: 'ok' }, { type: 'stop', reason: 'end_turn' }];

/** A provider that plays one scripted attempt per call: events to yield, then an error or not. */
function fakeProvider(attempts: Array<{ events?: StreamEvent[]; error?: unknown }>): ModelProvider & { calls: number } {
  const fake = {
    kind: 'fake',
    model: 'fake-model',
    calls: 0,
    async *stream(): AsyncGenerator<StreamEvent> {
      const attempt = attempts[fake.calls++];
      assert.ok(attempt, 'more attempts than scripted');
      for (const event of attempt.events ?? []) yield event;
      if (attempt.error !== undefined) throw attempt.error;
    },
  };
  return fake;
}

async function drain(provider: ModelProvider, req = request): Promise<StreamEvent[]> {
  const events: StreamEvent[] = [];
  for await (const event of provider.stream(req)) events.push(event);
  return events;
}

const retryable = (retryAfterMs?: number) =>
  new ProviderError('unavailable', target, { retryable: true, status: 503, ...(retryAfterMs !== undefined && { retryAfterMs }) });
const fast = { baseDelayMs: 5, maxDelayMs: 20, maxAttempts: 3 };

describe('retry policy', () => {
  it('backs off exponentially with jitter, capped', () => {
    const policy = { ...defaultRetryPolicy, baseDelayMs: 1000, maxDelayMs: 5000 };
    assert.equal(backoffDelay(1, policy, () => 0), 500);
    assert.equal(backoffDelay(1, policy, () => 1), 1000);
    assert.equal(backoffDelay(3, policy, () => 0.5), 3000);
    assert.equal(backoffDelay(10, policy, () => 1), 5000);
    const spread = new Set(Array.from({ length: 20 }, () => backoffDelay(2, policy)));
    assert.ok(spread.size > 1, 'jitter varies the delay');
  });

  it('retries retryable failures, reporting each wait, then yields the successful attempt', async () => {
    const notices: RetryNotice[] = [];
    const fake = fakeProvider([{ error: retryable() }, { error: retryable(7) }, { events: done }]);
    const events = await drain(withRetry(fake, { policy: fast, onRetry: (n) => notices.push(n), random: () => 0 }));
    assert.deepEqual(events, done);
    assert.equal(fake.calls, 3);
    assert.deepEqual(notices.map((n) => [n.attempt, n.delayMs]), [[1, 3], [2, 7]]);
  });

  it('gives up after maxAttempts with the final error, counting attempts', async () => {
    const fake = fakeProvider([{ error: retryable() }, { error: retryable() }, { error: retryable() }]);
    await assert.rejects(drain(withRetry(fake, { policy: fast })), (error: ProviderError) => {
      assert.equal(error.reason, 'unavailable');
      assert.equal(error.attempts, 3);
      assert.equal(error.retryable, false);
      assert.match(error.message, /after 3 attempts/);
      return true;
    });
    assert.equal(fake.calls, 3);
  });

  it('does not wait for a Retry-After longer than allowed', async () => {
    const fake = fakeProvider([{ error: retryable(120_000) }, { events: done }]);
    const started = Date.now();
    await assert.rejects(drain(withRetry(fake, { policy: { ...fast, maxRetryAfterMs: 1000 } })), { reason: 'unavailable' });
    assert.equal(fake.calls, 1);
    assert.ok(Date.now() - started < 500);
  });

  it('does not retry a non-retryable failure or a foreign error', async () => {
    const auth = fakeProvider([{ error: new ProviderError('auth_failed', target, { status: 401 }) }, { events: done }]);
    await assert.rejects(drain(withRetry(auth, { policy: fast })), { reason: 'auth_failed' });
    assert.equal(auth.calls, 1);
    const bug = new TypeError('a bug in our own code');
    const buggy = fakeProvider([{ error: bug }, { events: done }]);
    await assert.rejects(drain(withRetry(buggy, { policy: fast })), (error) => error === bug);
    assert.equal(buggy.calls, 1);
  });

  it('never re-sends once output reached the caller: the failure becomes interrupted', async () => {
    const fake = fakeProvider([{ events: [{ type: 'text_delta', text: 'half' }], error: retryable() }, { events: done }]);
    const seen: StreamEvent[] = [];
    await assert.rejects(
      (async () => {
        for await (const event of withRetry(fake, { policy: fast }).stream(request)) seen.push(event);
      })(),
      (error: ProviderError) => error.reason === 'interrupted' && !error.retryable,
    );
    assert.deepEqual(seen, [{ type: 'text_delta', text: 'half' }]);
    assert.equal(fake.calls, 1);
  });

  it('stops waiting between attempts as soon as the signal aborts', async () => {
    const controller = new AbortController();
    const fake = fakeProvider([{ error: retryable(10_000) }, { events: done }]);
    const started = Date.now();
    setTimeout(() => controller.abort(), 30);
    await assert.rejects(
      drain(withRetry(fake, { policy: { ...fast, maxRetryAfterMs: 60_000 } }), { ...request, signal: controller.signal }),
      { reason: 'aborted' },
    );
    assert.ok(Date.now() - started < 500);
    assert.equal(fake.calls, 1);
  });
});
