import assert from 'node:assert/strict';
import { classifyFailure, parseRetryAfter, type HttpFailure } from './failure-classifier';
import { redactSecrets, type ProviderErrorCode } from './provider-errors';

const context = { label: 'The model endpoint at localhost:11434', model: 'llama3', apiKey: 'sk-proj-SECRET123456' };

describe('provider failure classification', () => {
  const cases: Array<[string, HttpFailure, ProviderErrorCode, boolean]> = [
    ['OpenAI bad key', { status: 401, code: 'invalid_api_key', message: 'Incorrect API key provided: sk-proj-SECRET123456.' }, 'auth_failed', false],
    ['permission denied', { status: 403, type: 'permission_error', message: 'not allowed' }, 'auth_failed', false],
    ['OpenAI unknown model', { status: 404, code: 'model_not_found', message: 'The model `x` does not exist' }, 'model_not_found', false],
    ['Ollama unknown model', { status: 404, message: 'model "llama9" not found, try pulling it first' }, 'model_not_found', false],
    ['Anthropic unknown model', { status: 404, type: 'not_found_error', message: 'model: claude-nope' }, 'model_not_found', false],
    ['wrong base URL', { status: 404, message: 'Not Found' }, 'invalid_request', false],
    ['OpenAI context', { status: 400, code: 'context_length_exceeded', message: 'too long' }, 'context_too_long', false],
    ['vLLM context', { status: 400, message: "This model's maximum context length is 4096 tokens. However, you requested 5000 tokens." }, 'context_too_long', false],
    ['Anthropic context', { status: 400, type: 'invalid_request_error', message: 'prompt is too long: 212345 tokens > 200000 maximum' }, 'context_too_long', false],
    ['request too large', { status: 413, type: 'request_too_large', message: 'Request exceeds the maximum size' }, 'context_too_long', false],
    ['rate limit', { status: 429, code: 'rate_limit_exceeded', message: 'slow down' }, 'rate_limited', true],
    ['quota exhausted', { status: 429, code: 'insufficient_quota', message: 'You exceeded your current quota' }, 'rate_limited', false],
    ['server error', { status: 500, message: 'oops' }, 'unavailable', true],
    ['Anthropic overloaded', { status: 529, type: 'overloaded_error', message: 'Overloaded' }, 'unavailable', true],
    ['in-stream overloaded', { type: 'overloaded_error', message: 'Overloaded' }, 'unavailable', true],
    ['in-stream bad request', { type: 'invalid_request_error', message: 'bad tool schema' }, 'invalid_request', false],
    ['other 400', { status: 400, message: 'tools.0.name: String should match pattern' }, 'invalid_request', false],
  ];
  for (const [name, failure, code, retryable] of cases) {
    it(`${name} → ${code}${retryable ? ' (retryable)' : ''}`, () => {
      const error = classifyFailure(failure, context);
      assert.equal(error.reason, code);
      assert.equal(error.retryable, retryable);
      assert.ok(!error.message.includes('SECRET'), error.message);
      assert.ok(!(error.detail ?? '').includes('SECRET'), error.detail);
    });
  }

  it('carries Retry-After on retryable errors only', () => {
    const headers = new Headers({ 'retry-after': '3' });
    assert.equal(classifyFailure({ status: 429, headers, message: 'x' }, context).retryAfterMs, 3000);
    assert.equal(classifyFailure({ status: 401, headers, message: 'x' }, context).retryAfterMs, undefined);
  });

  it('reads Retry-After as seconds, milliseconds or an HTTP date', () => {
    assert.equal(parseRetryAfter(new Headers({ 'retry-after': '2' })), 2000);
    assert.equal(parseRetryAfter(new Headers({ 'retry-after': '1.5' })), 1500);
    assert.equal(parseRetryAfter(new Headers({ 'retry-after-ms': '250', 'retry-after': '9' })), 250);
    const now = Date.parse('2030-01-01T00:00:00Z');
    assert.equal(parseRetryAfter(new Headers({ 'retry-after': 'Tue, 01 Jan 2030 00:00:04 GMT' }), now), 4000);
    assert.equal(parseRetryAfter(new Headers({ 'retry-after': 'soon' })), undefined);
    assert.equal(parseRetryAfter(new Headers()), undefined);
    assert.equal(parseRetryAfter(undefined), undefined);
  });

  it('redacts the key and key-shaped strings, and shortens long texts', () => {
    assert.equal(redactSecrets('key my-custom-key-value rejected', 'my-custom-key-value'), 'key [redacted] rejected');
    assert.equal(redactSecrets('got sk-ant-api03-abcdefgh', ''), 'got [redacted]');
    assert.equal(redactSecrets('Authorization: Bearer abc.def-123456', 'x'), 'Authorization: [redacted]');
    assert.ok(redactSecrets('x'.repeat(1000), 'k').length < 310);
  });
});
