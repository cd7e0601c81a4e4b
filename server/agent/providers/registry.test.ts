import assert from 'node:assert/strict';
import { collectAssistantTurn } from './assistant-turn';
import { createProvider, defaultProviderFromEnv, providerConfigFromEnv } from './registry';
import { startAnthropicScriptServer } from '../testing/anthropic-script-server';
import { startOpenAIScriptServer } from '../testing/openai-script-server';
import { simpleRequest } from '../testing/provider-contract';

describe('provider registry', () => {
  it('returns undefined when nothing is configured, so the server can start without a model', () => {
    assert.equal(providerConfigFromEnv({}), undefined);
    assert.equal(defaultProviderFromEnv({ PATH: '/usr/bin' }), undefined);
  });

  it('falls back to the provider key variables with a default model', () => {
    assert.deepEqual(providerConfigFromEnv({ OPENAI_API_KEY: 'sk-o' }), { kind: 'openai', apiKey: 'sk-o', model: 'gpt-4.1' });
    assert.deepEqual(providerConfigFromEnv({ ANTHROPIC_API_KEY: 'sk-a' }), { kind: 'anthropic', apiKey: 'sk-a', model: 'claude-sonnet-4-5' });
    assert.equal(providerConfigFromEnv({ ANTHROPIC_API_KEY: 'sk-a', SLIPWAY_MODEL: 'claude-x' })?.kind, 'anthropic');
  });

  it('reads the SLIPWAY_MODEL_* variables, which win over the fallbacks', () => {
    assert.deepEqual(
      providerConfigFromEnv({
        SLIPWAY_MODEL_PROVIDER: 'Anthropic',
        SLIPWAY_MODEL: 'claude-opus-x',
        SLIPWAY_MODEL_API_KEY: 'sk-shared',
        SLIPWAY_MODEL_BASE_URL: 'https://gateway.example/anthropic',
        ANTHROPIC_API_KEY: 'sk-ignored',
      }),
      { kind: 'anthropic', model: 'claude-opus-x', apiKey: 'sk-shared', baseUrl: 'https://gateway.example/anthropic' },
    );
  });

  it('accepts a keyless OpenAI-compatible local endpoint (e.g. Ollama) when the model is named', () => {
    assert.deepEqual(
      providerConfigFromEnv({ SLIPWAY_MODEL_BASE_URL: 'http://127.0.0.1:11434/v1', SLIPWAY_MODEL: 'qwen2.5-coder' }),
      { kind: 'openai', baseUrl: 'http://127.0.0.1:11434/v1', apiKey: '', model: 'qwen2.5-coder' },
    );
  });

  it('reads whether the model takes images (SLIPWAY_MODEL_IMAGES)', () => {
    const local = { SLIPWAY_MODEL_BASE_URL: 'http://127.0.0.1:11434/v1', SLIPWAY_MODEL: 'llava' };
    assert.equal(providerConfigFromEnv({ ...local, SLIPWAY_MODEL_IMAGES: 'true' })?.supportsImages, true);
    assert.equal(providerConfigFromEnv({ ...local, SLIPWAY_MODEL_IMAGES: 'FALSE' })?.supportsImages, false);
    assert.equal(providerConfigFromEnv(local)?.supportsImages, undefined);
    assert.throws(() => providerConfigFromEnv({ ...local, SLIPWAY_MODEL_IMAGES: 'maybe' }), /SLIPWAY_MODEL_IMAGES must be true or false/);
  });

  it('refuses a wrong configuration with a message that names the variable, not its value', () => {
    assert.throws(() => providerConfigFromEnv({ SLIPWAY_MODEL_PROVIDER: 'gemini' }), /SLIPWAY_MODEL_PROVIDER must be one of openai, anthropic/);
    assert.throws(() => providerConfigFromEnv({ SLIPWAY_MODEL_PROVIDER: 'anthropic' }), /ANTHROPIC_API_KEY/);
    assert.throws(() => providerConfigFromEnv({ SLIPWAY_MODEL_BASE_URL: 'http://localhost:8000/v1' }), /SLIPWAY_MODEL/);
    assert.throws(
      () => providerConfigFromEnv({ SLIPWAY_MODEL_BASE_URL: 'not a url sk-secret', SLIPWAY_MODEL: 'm', SLIPWAY_MODEL_API_KEY: 'sk-secret' }),
      (error: Error) => /SLIPWAY_MODEL_BASE_URL/.test(error.message) && !error.message.includes('sk-secret'),
    );
  });

  it('creates working providers of each kind, with retries', async () => {
    const openai = await startOpenAIScriptServer([{ fault: 'server_error' }, { reply: [{ text: 'from openai' }] }]);
    const anthropic = await startAnthropicScriptServer([{ fault: 'overloaded' }, { reply: [{ text: 'from anthropic' }] }]);
    try {
      const retry = { policy: { baseDelayMs: 5, maxDelayMs: 10 } };
      const a = createProvider({ kind: 'openai', baseUrl: openai.baseUrl, apiKey: 'k', model: 'm' }, retry);
      const b = createProvider({ kind: 'anthropic', baseUrl: anthropic.baseUrl, apiKey: 'k', model: 'm' }, retry);
      assert.equal((await collectAssistantTurn(a.stream(simpleRequest()))).text, 'from openai');
      assert.equal((await collectAssistantTurn(b.stream(simpleRequest()))).text, 'from anthropic');
      assert.deepEqual([a.kind, b.kind], ['openai', 'anthropic']);
    } finally {
      await Promise.all([openai.close(), anthropic.close()]);
    }
  });
});
