/**
 * Polls `probe` until it returns something truthy; fails with the last value seen. `what` may be a
 * function, asked only on a timeout (to say what was seen on the way).
 */
export async function waitFor<T>(probe: () => Promise<T>, options: { timeoutMs?: number; intervalMs?: number; what?: string | (() => string) } = {}): Promise<NonNullable<T>> {
  const deadline = Date.now() + (options.timeoutMs ?? 30_000);
  let last: T | undefined;
  for (;;) {
    last = await probe();
    if (last) return last as NonNullable<T>;
    if (Date.now() > deadline) {
      const what = typeof options.what === 'function' ? options.what() : options.what;
      throw new Error(`timed out waiting for ${what ?? 'a condition'} (last: ${JSON.stringify(last)})`);
    }
    await new Promise((r) => setTimeout(r, options.intervalMs ?? 50));
  }
}
