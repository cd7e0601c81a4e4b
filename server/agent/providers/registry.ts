import { z } from 'zod';
import { createAnthropicProvider } from './anthropic';
import { createOpenAIProvider } from './openai';
import type { ModelProvider } from './provider';
import { withRetry, type RetryOptions } from './retry';

/** What every provider file exports: a factory for one attempt per call. Retries are added here. */
type ProviderFactory = (config: { apiKey: string; model: string; baseUrl?: string; fetch?: typeof fetch }) => ModelProvider;

/** Adding a provider: one new file, one line here. */
const factories = {
  openai: createOpenAIProvider,
  anthropic: createAnthropicProvider,
} satisfies Record<string, ProviderFactory>;

export type ProviderKind = keyof typeof factories;
export const ProviderKind = z.enum(Object.keys(factories) as [ProviderKind, ...ProviderKind[]]);

export const ProviderConfig = z.object({
  kind: ProviderKind,
  baseUrl: z.url({ protocol: /^https?$/ }).optional(),
  /** May be empty for a local OpenAI-compatible endpoint that needs none. */
  apiKey: z.string(),
  model: z.string().min(1),
  /** Whether the model is sent images; absent: the default for the provider and endpoint (context/image-support.ts). */
  supportsImages: z.boolean().optional(),
});
export type ProviderConfig = z.infer<typeof ProviderConfig>;

/** `transport.fetch` replaces the SDK's fetch (team endpoints get the guarded one). */
export function createProvider(config: ProviderConfig, retry: RetryOptions = {}, transport: { fetch?: typeof fetch } = {}): ModelProvider {
  const { kind, supportsImages: _images, ...settings } = ProviderConfig.parse(config);
  const factory: ProviderFactory = factories[kind];
  return withRetry(factory({ ...settings, ...transport }), retry);
}

/** The model used when only a provider's key is configured. */
const DEFAULT_MODEL: Record<ProviderKind, string> = {
  openai: 'gpt-4.1',
  anthropic: 'claude-sonnet-4-5',
};

/** The provider's conventional key variable, used when SLIPWAY_MODEL_API_KEY is not set. */
const KEY_VARIABLE: Record<ProviderKind, string> = {
  openai: 'OPENAI_API_KEY',
  anthropic: 'ANTHROPIC_API_KEY',
};

/**
 * The server-wide default model from the environment: SLIPWAY_MODEL_PROVIDER, SLIPWAY_MODEL,
 * SLIPWAY_MODEL_BASE_URL, SLIPWAY_MODEL_API_KEY, else OPENAI_API_KEY / ANTHROPIC_API_KEY;
 * SLIPWAY_MODEL_IMAGES (true / false) says whether the model takes images.
 * Undefined when nothing is configured; throws (naming the variable, never its value) when
 * something is configured wrongly.
 */
export function providerConfigFromEnv(env: NodeJS.ProcessEnv = process.env): ProviderConfig | undefined {
  const read = (name: string) => env[name]?.trim() || undefined;
  const explicitKind = read('SLIPWAY_MODEL_PROVIDER');
  const baseUrl = read('SLIPWAY_MODEL_BASE_URL');
  const model = read('SLIPWAY_MODEL');
  const sharedKey = read('SLIPWAY_MODEL_API_KEY');

  let kind: ProviderKind | undefined;
  if (explicitKind !== undefined) {
    const parsed = ProviderKind.safeParse(explicitKind.toLowerCase());
    if (!parsed.success) {
      throw new Error(`SLIPWAY_MODEL_PROVIDER must be one of ${ProviderKind.options.join(', ')}`);
    }
    kind = parsed.data;
  } else if (baseUrl || sharedKey || model) {
    kind = read(KEY_VARIABLE.anthropic) && !read(KEY_VARIABLE.openai) && !baseUrl ? 'anthropic' : 'openai';
  } else {
    kind = ProviderKind.options.find((k) => read(KEY_VARIABLE[k]));
  }
  if (!kind) return undefined;

  const apiKey = sharedKey ?? read(KEY_VARIABLE[kind]) ?? '';
  if (!apiKey && !baseUrl) throw new Error(`set SLIPWAY_MODEL_API_KEY or ${KEY_VARIABLE[kind]} for the ${kind} model provider`);
  if (!model && baseUrl) throw new Error('set SLIPWAY_MODEL: a custom SLIPWAY_MODEL_BASE_URL has no default model');
  const images = read('SLIPWAY_MODEL_IMAGES')?.toLowerCase();
  if (images !== undefined && images !== 'true' && images !== 'false') throw new Error('SLIPWAY_MODEL_IMAGES must be true or false');
  const config = { kind, apiKey, model: model ?? DEFAULT_MODEL[kind], ...(baseUrl && { baseUrl }), ...(images !== undefined && { supportsImages: images === 'true' }) };
  const parsed = ProviderConfig.safeParse(config);
  if (!parsed.success) throw new Error('SLIPWAY_MODEL_BASE_URL must be an http(s) URL');
  return parsed.data;
}

/** The server-wide default provider, or undefined when none is configured. */
export function defaultProviderFromEnv(env: NodeJS.ProcessEnv = process.env, retry: RetryOptions = {}): ModelProvider | undefined {
  const config = providerConfigFromEnv(env);
  return config && createProvider(config, retry);
}
