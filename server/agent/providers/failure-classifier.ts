import { ProviderError, redactSecrets, type ProviderContext, type ProviderErrorCode } from './provider-errors';

/** A refusal from a provider, reduced to what both SDKs expose. `status` is absent for in-stream errors. */
export interface HttpFailure {
  status?: number | undefined;
  headers?: Headers | undefined;
  /** The error's `type` (Anthropic: `overloaded_error`, OpenAI: `server_error`, …). */
  type?: string | undefined;
  /** OpenAI's `code` (`invalid_api_key`, `model_not_found`, `context_length_exceeded`, …). */
  code?: string | undefined;
  message: string;
}

/** Anthropic names every error by type; in-stream errors carry only the type. */
const STATUS_OF_TYPE: Record<string, number> = {
  invalid_request_error: 400,
  authentication_error: 401,
  billing_error: 402,
  permission_error: 403,
  not_found_error: 404,
  request_too_large: 413,
  rate_limit_error: 429,
  api_error: 500,
  server_error: 500,
  timeout_error: 504,
  overloaded_error: 529,
};

const CONTEXT_TOO_LONG = /context[_ ]length|context window|maximum context|prompt is too long|too many tokens|input is too long|reduce the length/i;
const MODEL_MISSING = /model[^.]*(not found|does not exist|not exist|unknown|invalid|not supported)|(unknown|invalid) model|^model: /i;

export function classifyFailure(failure: HttpFailure, context: ProviderContext): ProviderError {
  const status = failure.status ?? (failure.type ? STATUS_OF_TYPE[failure.type] : undefined);
  const detail = redactSecrets(failure.message, context.apiKey);
  const text = `${failure.code ?? ''} ${failure.type ?? ''} ${failure.message}`;
  const make = (code: ProviderErrorCode, retryable = false) =>
    new ProviderError(code, context, {
      retryable,
      retryAfterMs: retryable ? parseRetryAfter(failure.headers) : undefined,
      status: failure.status,
      detail,
    });

  if (status === 401 || failure.code === 'invalid_api_key') return make('auth_failed');
  if (status === 403) return make('auth_failed');
  if (failure.code === 'context_length_exceeded' || status === 413 || (status === 400 && CONTEXT_TOO_LONG.test(text))) {
    return make('context_too_long');
  }
  if (failure.code === 'model_not_found' || ((status === 404 || status === 400) && MODEL_MISSING.test(failure.message))) {
    return make('model_not_found');
  }
  if (status === 429) return make('rate_limited', failure.code !== 'insufficient_quota');
  if (status === undefined || status === 408 || status === 409 || status >= 500) return make('unavailable', true);
  return make('invalid_request');
}

/** The connection failed or the stream broke: worth another try if nothing was shown yet. */
export function connectionFailure(cause: unknown, context: ProviderContext): ProviderError {
  const reason = cause instanceof Error ? describeCause(cause) : String(cause);
  return new ProviderError('interrupted', context, { retryable: true, detail: redactSecrets(reason, context.apiKey) });
}

function describeCause(error: Error): string {
  const inner = error.cause instanceof Error ? `: ${error.cause.message}` : '';
  return `${error.message}${inner}`;
}

/** `retry-after-ms` (OpenAI) or `retry-after` in seconds or as an HTTP date; undefined when absent. */
export function parseRetryAfter(headers: Headers | undefined, now = Date.now()): number | undefined {
  const ms = Number(headers?.get('retry-after-ms') ?? Number.NaN);
  if (Number.isFinite(ms) && ms >= 0) return ms;
  const value = headers?.get('retry-after');
  if (!value) return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds) && seconds >= 0) return seconds * 1000;
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}
