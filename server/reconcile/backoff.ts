/** Delay before retry number `attempt` (1-based): 1 s, 2 s, 4 s … capped, with ±20 % jitter. */
export function backoffMs(attempt: number, options: { baseMs?: number; maxMs?: number; random?: () => number } = {}): number {
  const base = options.baseMs ?? 1000;
  const max = options.maxMs ?? 5 * 60_000;
  const raw = Math.min(max, base * 2 ** Math.max(0, attempt - 1));
  const jitter = 1 + ((options.random ?? Math.random)() * 0.4 - 0.2);
  return Math.round(Math.min(max, raw * jitter));
}
