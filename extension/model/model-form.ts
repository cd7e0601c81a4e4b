import type { z } from 'zod';
import { ModelSettings, PutModelSettingsBody } from '../../protocol/chat';

export type ModelSettingsValue = z.infer<typeof ModelSettings>;
export type ModelBody = z.input<typeof PutModelSettingsBody>;

/** The providers the "Set Team Model" prompt offers; an OpenAI-compatible endpoint is `openai` with a base URL. */
export type ProviderChoice = 'openai' | 'anthropic' | 'compatible';

export const PROVIDER_CHOICES: { choice: ProviderChoice; label: string; detail: string }[] = [
  { choice: 'openai', label: 'OpenAI', detail: 'api.openai.com' },
  { choice: 'anthropic', label: 'Anthropic', detail: 'api.anthropic.com' },
  { choice: 'compatible', label: 'OpenAI-compatible', detail: 'Any endpoint speaking the OpenAI API (vLLM, Ollama, LiteLLM…): asks for its base URL' },
];

export const kindOf = (choice: ProviderChoice): 'openai' | 'anthropic' => (choice === 'anthropic' ? 'anthropic' : 'openai');

/** The prompt's choice the settings correspond to. */
export function choiceOf(settings: ModelSettingsValue | null): ProviderChoice | undefined {
  if (!settings?.kind) return undefined;
  return settings.kind === 'anthropic' ? 'anthropic' : settings.baseUrl ? 'compatible' : 'openai';
}

/** The chat header's line: `claude-sonnet-4 · Anthropic`, `… (server default)`, or that there is none. */
export function modelLabel(settings: ModelSettingsValue | null): string {
  if (!settings || settings.source === 'none' || !settings.model) return 'no model configured';
  const provider = settings.kind === 'anthropic' ? 'Anthropic' : settings.baseUrl ? `OpenAI-compatible (${hostOf(settings.baseUrl)})` : 'OpenAI';
  return `${settings.model} · ${provider}${settings.source === 'server' ? ' (server default)' : ''}`;
}

const hostOf = (url: string): string => {
  try {
    return new URL(url).host;
  } catch {
    return url;
  }
};

/** Why a typed base URL is refused (the API's own rule), or undefined. */
export function baseUrlProblem(value: string): string | undefined {
  return PutModelSettingsBody.shape.baseUrl.safeParse(value.trim()).success && value.trim() ? undefined : 'An http:// or https:// URL, e.g. http://localhost:11434/v1';
}

/** Whether an empty key keeps the stored one: the team's own key, for the same provider and endpoint. */
export function canKeepKey(current: ModelSettingsValue | null, choice: ProviderChoice, baseUrl: string | null): boolean {
  return !!current && current.source === 'team' && current.hasApiKey && current.kind === kindOf(choice) && (current.baseUrl ?? null) === baseUrl;
}

/** Why an empty key cannot be left (OpenAI and Anthropic need one), or undefined. */
export function apiKeyProblem(entered: string, keep: boolean, choice: ProviderChoice): string | undefined {
  if (entered.trim() || keep || choice === 'compatible') return undefined;
  return 'An API key is needed for this provider.';
}

/**
 * The PUT body: an empty key keeps the stored one when it can (the key is omitted), else means "no key"
 * (OpenAI-compatible local endpoints). The team's context size is kept.
 */
export function modelBody(
  input: { choice: ProviderChoice; model: string; baseUrl: string | null; apiKey: string; supportsImages?: boolean | null },
  current: ModelSettingsValue | null,
): ModelBody {
  const baseUrl = input.choice === 'compatible' ? input.baseUrl?.trim() || null : null;
  const key = input.apiKey.trim();
  const body: ModelBody = {
    kind: kindOf(input.choice),
    model: input.model.trim(),
    baseUrl,
    contextTokens: current?.source === 'team' ? current.contextTokens : null,
    supportsImages: input.supportsImages ?? null,
  };
  if (key) body.apiKey = key;
  else if (!canKeepKey(current, input.choice, baseUrl)) body.apiKey = '';
  return PutModelSettingsBody.parse(body);
}
