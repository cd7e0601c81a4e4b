import type { ModelProvider, ModelRequest, StreamEvent } from './provider';
import { ProviderError } from './provider-errors';

/**
 * The one retry policy for model calls (the SDKs' own retries are switched off). A failed
 * attempt is retried only while nothing has reached the caller: once an event was yielded,
 * sending the request again would duplicate output, so the failure surfaces as `interrupted`.
 */
export interface RetryPolicy {
  /** Tries in total, the first included. */
  maxAttempts: number;
  /** The first backoff; each later one doubles, up to `maxDelayMs`, with jitter. */
  baseDelayMs: number;
  maxDelayMs: number;
  /** A Retry-After longer than this is not waited for: the error surfaces at once. */
  maxRetryAfterMs: number;
}

export const defaultRetryPolicy: RetryPolicy = {
  maxAttempts: 4,
  baseDelayMs: 1000,
  maxDelayMs: 30_000,
  maxRetryAfterMs: 60_000,
};

export interface RetryNotice {
  attempt: number;
  delayMs: number;
  error: ProviderError;
}

export interface RetryOptions {
  policy?: Partial<RetryPolicy>;
  /** Told before each wait, e.g. to log it (the error holds no secrets). */
  onRetry?: (notice: RetryNotice) => void;
  random?: () => number;
}

/** Exponential backoff with "equal jitter": half fixed, half random, never below half the step. */
export function backoffDelay(attempt: number, policy: RetryPolicy, random: () => number = Math.random): number {
  const step = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1));
  return Math.round(step / 2 + random() * (step / 2));
}

export function withRetry(provider: ModelProvider, options: RetryOptions = {}): ModelProvider {
  const policy = { ...defaultRetryPolicy, ...options.policy };
  const random = options.random ?? Math.random;
  return {
    kind: provider.kind,
    model: provider.model,
    stream: (request) => retrying(provider, request, policy, random, options.onRetry),
  };
}

async function* retrying(
  provider: ModelProvider,
  request: ModelRequest,
  policy: RetryPolicy,
  random: () => number,
  onRetry: RetryOptions['onRetry'],
): AsyncGenerator<StreamEvent> {
  for (let attempt = 1; ; attempt++) {
    let yielded = false;
    try {
      for await (const event of provider.stream(request)) {
        yielded = true;
        yield event;
      }
      return;
    } catch (error) {
      if (!(error instanceof ProviderError)) throw error;
      if (!error.retryable) throw attempt === 1 ? error : error.settle(attempt);
      if (yielded) throw error.settle(attempt, 'interrupted');
      const finalCode = error.reason === 'interrupted' ? 'unavailable' : error.reason;
      const delayMs = error.retryAfterMs ?? backoffDelay(attempt, policy, random);
      if (attempt >= policy.maxAttempts || delayMs > policy.maxRetryAfterMs) throw error.settle(attempt, finalCode);
      onRetry?.({ attempt, delayMs, error });
      await sleep(delayMs, request.signal, () => new ProviderError('aborted', error.target));
    }
  }
}

function sleep(ms: number, signal: AbortSignal | undefined, aborted: () => Error): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(aborted());
    const onAbort = () => {
      clearTimeout(timer);
      reject(aborted());
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
