import { AddTeamModelBody, ModelPrice, type ModelOption } from '../../protocol/chat-models';
import { PutModelSettingsBody } from '../../protocol/chat';
import type { Role } from '../../protocol/common';
import { baseUrlProblem, kindOf, type ProviderChoice } from './model-form';

/**
 * The fields of "Slipway: Add Team Model" as typed, each checked by the API's own schema so the
 * prompt refuses what the server would, and the body sent. Empty context/price mean "not set".
 */

/** Only a team's owner and admins add or remove models; members see the list. */
export const canManageModels = (role: Role): boolean => role === 'owner' || role === 'admin';

export function nameProblem(value: string): string | undefined {
  return AddTeamModelBody.shape.name.safeParse(value).success ? undefined : 'A name of 1 to 80 characters, e.g. "Claude (long tasks)"';
}

export function modelNameProblem(value: string): string | undefined {
  return PutModelSettingsBody.shape.model.safeParse(value).success ? undefined : 'A model name, e.g. gpt-4.1 or claude-sonnet-4-5';
}

export { baseUrlProblem };

/** A context window in tokens: empty (known for the model, or assumed), else a whole number 2000…10,000,000. */
export function parseContext(value: string): number | null | undefined {
  const text = value.trim().replace(/[_,\s]/g, '');
  if (!text) return null;
  if (!/^\d+$/.test(text)) return undefined;
  const n = Number(text);
  return PutModelSettingsBody.shape.contextTokens.safeParse(n).success ? n : undefined;
}

export function contextProblem(value: string): string | undefined {
  return parseContext(value) === undefined ? 'Empty, or a whole number of tokens from 2000 to 10000000, e.g. 200000' : undefined;
}

/** Prices in US dollars per million tokens, "input / output" (e.g. `3 / 15`); empty: none (or known for the model). */
export function parsePrice(value: string): ModelPrice | null | undefined {
  const text = value.trim();
  if (!text) return null;
  const match = /^(\d+(?:\.\d+)?)\s*[/,\s]\s*(\d+(?:\.\d+)?)$/.exec(text);
  if (!match) return undefined;
  const price = ModelPrice.safeParse({ inputPerMTok: Number(match[1]), outputPerMTok: Number(match[2]) });
  return price.success ? price.data : undefined;
}

export function priceProblem(value: string): string | undefined {
  return parsePrice(value) === undefined ? 'Empty, or "input / output" in US$ per million tokens (each 0 to 10000), e.g. 3 / 15' : undefined;
}

export interface ModelEntry {
  name: string;
  choice: ProviderChoice;
  model: string;
  baseUrl: string | null;
  apiKey: string;
  context: string;
  price: string;
  supportsImages: boolean | null;
}

/** The POST body of an entry (throws on what the prompts should have refused). */
export function addModelBody(entry: ModelEntry): AddTeamModelBody {
  const contextTokens = parseContext(entry.context);
  const price = parsePrice(entry.price);
  if (contextTokens === undefined) throw new Error(contextProblem(entry.context));
  if (price === undefined) throw new Error(priceProblem(entry.price));
  return AddTeamModelBody.parse({
    name: entry.name,
    kind: kindOf(entry.choice),
    model: entry.model,
    baseUrl: entry.choice === 'compatible' ? entry.baseUrl?.trim() || null : null,
    apiKey: entry.apiKey.trim(),
    contextTokens,
    price,
    supportsImages: entry.supportsImages,
  });
}

/** One line of the team's list: name, then model · context · price. */
export function modelOptionItem(option: ModelOption): { label: string; description: string } {
  const context = `${Math.round(option.contextTokens / 1000)}k context${option.contextSource === 'assumed' ? ' (assumed)' : ''}`;
  const price = option.price ? `$${option.price.inputPerMTok} / $${option.price.outputPerMTok} per M tokens` : 'no price';
  return { label: option.id ? option.name : `${option.name} (team default)`, description: `${option.model} · ${context} · ${price}` };
}
