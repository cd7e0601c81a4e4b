import type { ModelPrice } from '../../../protocol/chat-models';
import type { TokenUsage } from '../providers/provider';

/** US dollars per million tokens: input, output, cache read, cache write. */
const PRICES: [RegExp, [number, number, number, number]][] = [
  [/^gpt-4\.1-nano/, [0.1, 0.4, 0.025, 0.1]],
  [/^gpt-4\.1-mini/, [0.4, 1.6, 0.1, 0.4]],
  [/^gpt-4\.1/, [2, 8, 0.5, 2]],
  [/^gpt-4o-mini/, [0.15, 0.6, 0.075, 0.15]],
  [/^gpt-4o/, [2.5, 10, 1.25, 2.5]],
  [/^gpt-5-mini/, [0.25, 2, 0.025, 0.25]],
  [/^gpt-5/, [1.25, 10, 0.125, 1.25]],
  [/^o4-mini/, [1.1, 4.4, 0.275, 1.1]],
  [/^claude-(3-5-)?haiku/, [0.8, 4, 0.08, 1]],
  [/^claude-haiku-4/, [1, 5, 0.1, 1.25]],
  [/^claude-(sonnet-4|3-7-sonnet|3-5-sonnet)/, [3, 15, 0.3, 3.75]],
  [/^claude-opus-4-[56789]/, [5, 25, 0.5, 6.25]],
  [/^claude-opus-4/, [15, 75, 1.5, 18.75]],
];

const known = (model: string) => PRICES.find(([pattern]) => pattern.test(model.replace(/^.*\//, '')))?.[1];

/** The list price of a known model (input and output), else null. */
export function knownPrice(model: string): ModelPrice | null {
  const price = known(model);
  return price ? { inputPerMTok: price[0], outputPerMTok: price[1] } : null;
}

/**
 * The cost of one call: at the team's configured price (cached input at the input price), else
 * where the model's price is known, else null (local models, unknown names). `inputTokens`
 * includes the cached parts, which are charged at their own rates.
 */
export function costUsd(model: string, usage: TokenUsage, configured?: ModelPrice | null): number | null {
  if (configured) return (usage.inputTokens * configured.inputPerMTok + usage.outputTokens * configured.outputPerMTok) / 1e6;
  const price = known(model);
  if (!price) return null;
  const fresh = Math.max(0, usage.inputTokens - usage.cacheReadTokens - usage.cacheWriteTokens);
  const [input, output, cacheRead, cacheWrite] = price;
  return (fresh * input + usage.outputTokens * output + usage.cacheReadTokens * cacheRead + usage.cacheWriteTokens * cacheWrite) / 1e6;
}
