import assert from 'node:assert/strict';
import { apiKeyProblem, baseUrlProblem, canKeepKey, choiceOf, modelBody, modelLabel, type ModelSettingsValue } from './model-form';

const team = (over: Partial<ModelSettingsValue> = {}): ModelSettingsValue => ({
  source: 'team', kind: 'openai', model: 'gpt-4.1', baseUrl: null, hasApiKey: true, contextTokens: 128_000, supportsImages: true, ...over,
});

describe('Team model form', () => {
  it('labels the current model, the server default, and none', () => {
    assert.equal(modelLabel(null), 'no model configured');
    assert.equal(modelLabel(team({ source: 'none', model: null, kind: null })), 'no model configured');
    assert.equal(modelLabel(team()), 'gpt-4.1 · OpenAI');
    assert.equal(modelLabel(team({ kind: 'anthropic', model: 'claude-sonnet-4', source: 'server' })), 'claude-sonnet-4 · Anthropic (server default)');
    assert.equal(modelLabel(team({ baseUrl: 'http://localhost:11434/v1', model: 'qwen3' })), 'qwen3 · OpenAI-compatible (localhost:11434)');
  });

  it('maps settings to the prompt\'s provider choice', () => {
    assert.equal(choiceOf(null), undefined);
    assert.equal(choiceOf(team()), 'openai');
    assert.equal(choiceOf(team({ baseUrl: 'http://h/v1' })), 'compatible');
    assert.equal(choiceOf(team({ kind: 'anthropic' })), 'anthropic');
  });

  it('keeps the stored key only for the same provider and endpoint of the team', () => {
    assert.equal(canKeepKey(team(), 'openai', null), true);
    assert.equal(canKeepKey(team(), 'anthropic', null), false);
    assert.equal(canKeepKey(team(), 'compatible', 'http://h/v1'), false);
    assert.equal(canKeepKey(team({ source: 'server' }), 'openai', null), false);
    assert.equal(canKeepKey(team({ hasApiKey: false }), 'openai', null), false);
    assert.equal(canKeepKey(null, 'openai', null), false);
  });

  it('builds the PUT body: omitted key keeps it, empty key means none', () => {
    assert.deepEqual(modelBody({ choice: 'openai', model: ' gpt-5 ', baseUrl: 'ignored', apiKey: '' }, team()),
      { kind: 'openai', model: 'gpt-5', baseUrl: null, contextTokens: 128_000, supportsImages: null });
    assert.deepEqual(modelBody({ choice: 'anthropic', model: 'claude', baseUrl: null, apiKey: ' sk-ant ' }, team()),
      { kind: 'anthropic', model: 'claude', baseUrl: null, apiKey: 'sk-ant', contextTokens: 128_000, supportsImages: null });
    assert.deepEqual(modelBody({ choice: 'compatible', model: 'qwen3', baseUrl: 'http://localhost:11434/v1', apiKey: '', supportsImages: true }, null),
      { kind: 'openai', model: 'qwen3', baseUrl: 'http://localhost:11434/v1', apiKey: '', contextTokens: null, supportsImages: true });
    assert.throws(() => modelBody({ choice: 'openai', model: '  ', baseUrl: null, apiKey: 'k' }, null));
  });

  it('validates the base URL and a missing key', () => {
    assert.equal(baseUrlProblem('http://localhost:8000/v1'), undefined);
    assert.match(baseUrlProblem('ftp://x')!, /http/);
    assert.match(baseUrlProblem('')!, /http/);
    assert.match(apiKeyProblem('', false, 'openai')!, /needed/);
    assert.equal(apiKeyProblem('', true, 'openai'), undefined);
    assert.equal(apiKeyProblem('', false, 'compatible'), undefined);
    assert.equal(apiKeyProblem('k', false, 'anthropic'), undefined);
  });
});
