/** Context windows (tokens) of well-known models. */
const WINDOWS: [RegExp, number][] = [
  [/^gpt-4\.1/, 1_047_576],
  [/^gpt-4o/, 128_000],
  [/^gpt-4-turbo/, 128_000],
  [/^gpt-4(-\d+)?$/, 8192],
  [/^gpt-3\.5-turbo/, 16_385],
  [/^gpt-5/, 400_000],
  [/^o[34](-mini)?/, 200_000],
  [/^claude-(sonnet-4|opus-4|haiku-4|3-7-sonnet|3-5-sonnet|3-5-haiku)/, 200_000],
];

/** The model's context window when it is a known model, else null. */
export function knownContextTokens(model: string): number | null {
  return WINDOWS.find(([pattern]) => pattern.test(model.replace(/^.*\//, '')))?.[1] ?? null;
}

/**
 * The window the agent works with (compaction starts at 70% of it): the team's configured one,
 * else the server's assumption, lowered to the model's own window when that is known and smaller
 * (a known window never raises it: a bigger prompt costs more, and that is the team's call).
 */
export function effectiveContext(model: string, configured: number | null, assumed: number): { tokens: number; source: 'configured' | 'known' | 'assumed' } {
  if (configured) return { tokens: configured, source: 'configured' };
  const known = knownContextTokens(model);
  return known !== null && known < assumed ? { tokens: known, source: 'known' } : { tokens: assumed, source: 'assumed' };
}
