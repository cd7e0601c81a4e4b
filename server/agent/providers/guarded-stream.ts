import { ProviderError, type ProviderContext } from './provider-errors';

export interface GuardOptions {
  /** The caller's signal; aborting it ends the stream with an `aborted` error. */
  signal: AbortSignal | undefined;
  /** A stream silent for this long is treated as dropped. */
  idleTimeoutMs: number;
  context: ProviderContext;
  /** Turns whatever the SDK threw into a ProviderError. */
  toError: (error: unknown) => ProviderError;
}

/**
 * Runs an SDK stream so that only SDK failures become ProviderErrors (a bug in our own event
 * handling is not mistaken for a network failure), aborts and stalls are recognised even when
 * the SDK ends quietly, and the HTTP request is cancelled whenever the consumer stops early.
 */
export async function* guardedStream<T>(
  open: (signal: AbortSignal) => Promise<AsyncIterable<T>>,
  options: GuardOptions,
): AsyncGenerator<T> {
  const { signal, idleTimeoutMs, context, toError } = options;
  const controller = new AbortController();
  const onAbort = () => controller.abort();
  signal?.addEventListener('abort', onAbort, { once: true });
  let stalled = false;
  let timer: NodeJS.Timeout | undefined;
  const arm = () => {
    clearTimeout(timer);
    timer = setTimeout(() => {
      stalled = true;
      controller.abort();
    }, idleTimeoutMs);
  };
  const failure = (error: unknown): ProviderError => {
    if (signal?.aborted) return new ProviderError('aborted', context);
    if (stalled) {
      return new ProviderError('interrupted', context, {
        retryable: true,
        detail: `no data for ${Math.round(idleTimeoutMs / 1000)} s`,
      });
    }
    return error instanceof ProviderError ? error : toError(error);
  };

  try {
    if (signal?.aborted) throw new ProviderError('aborted', context);
    let iterator: AsyncIterator<T>;
    try {
      arm();
      iterator = (await open(controller.signal))[Symbol.asyncIterator]();
    } catch (error) {
      throw failure(error);
    } finally {
      clearTimeout(timer);
    }
    for (;;) {
      let step: IteratorResult<T>;
      try {
        arm(); // the clock only runs while we wait for the provider, not for our consumer
        step = await iterator.next();
      } catch (error) {
        throw failure(error);
      } finally {
        clearTimeout(timer);
      }
      // Both SDKs end an aborted stream quietly instead of throwing.
      if (signal?.aborted || stalled) throw failure(undefined);
      if (step.done) return;
      yield step.value;
    }
  } finally {
    clearTimeout(timer);
    signal?.removeEventListener('abort', onAbort);
    controller.abort();
  }
}
