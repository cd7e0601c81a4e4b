import type { z } from 'zod';
import { ErrorReason, type ErrorCode } from '../../../protocol/errors';
import { AppError } from '../../errors';

/**
 * The few ways a model call can fail, each with a short classified message fit to show a user.
 * Messages never carry the remote body (a team's endpoint could be anything); `detail` keeps the
 * provider's own words, redacted, for the server log only.
 */
export const ProviderErrorCode = ErrorReason.extract(['auth_failed', 'model_not_found', 'context_too_long', 'rate_limited', 'unavailable', 'interrupted', 'invalid_request', 'aborted', 'endpoint_not_allowed']);
export type ProviderErrorCode = z.infer<typeof ProviderErrorCode>;

/** Who was asked, so messages can name the provider and model. */
export interface ProviderContext {
  /** A human name for the provider, e.g. `OpenAI` or the base URL's host. */
  label: string;
  model: string;
  /** Only used to scrub it from provider texts. */
  apiKey: string;
}

export interface ProviderErrorOptions {
  retryable?: boolean;
  retryAfterMs?: number;
  status?: number;
  /** The provider's own explanation, redacted and shortened. */
  detail?: string;
  attempts?: number;
  /** endpoint_not_allowed: the host refused, when it is not the endpoint's own (a redirect's target). */
  refusedHost?: string;
}

/** Who was asked, without the key: kept on errors so they can be re-worded later. */
export type ProviderTarget = Pick<ProviderContext, 'label' | 'model'>;

/** A model call that failed: `reason` is the provider failure (also the chat's error code). */
export class ProviderError extends AppError {
  declare readonly reason: ProviderErrorCode;
  readonly target: ProviderTarget;
  readonly retryable: boolean;
  readonly retryAfterMs: number | undefined;
  /** The provider's HTTP status, when it answered one. */
  readonly httpStatus: number | undefined;
  readonly detail: string | undefined;
  readonly attempts: number;
  readonly refusedHost: string | undefined;

  constructor(reason: ProviderErrorCode, target: ProviderTarget, options: ProviderErrorOptions = {}) {
    super(appCode[reason], describe(reason, target, options), { reason, expose: true });
    this.name = 'ProviderError';
    this.target = { label: target.label, model: target.model };
    this.retryable = options.retryable ?? false;
    this.retryAfterMs = options.retryAfterMs;
    this.httpStatus = options.status;
    this.detail = options.detail;
    this.attempts = options.attempts ?? 1;
    this.refusedHost = options.refusedHost;
  }

  /** The same failure made final after `attempts` tries, optionally re-classified as `reason`. */
  settle(attempts: number, reason: ProviderErrorCode = this.reason): ProviderError {
    return new ProviderError(reason, this.target, { status: this.httpStatus, detail: this.detail, attempts, refusedHost: this.refusedHost });
  }
}

/** How a boundary would answer each provider failure (they reach clients as chat events). */
const appCode: Record<ProviderErrorCode, ErrorCode> = {
  auth_failed: 'unavailable',
  model_not_found: 'unavailable',
  context_too_long: 'bad_request',
  rate_limited: 'rate_limited',
  unavailable: 'unavailable',
  interrupted: 'unavailable',
  invalid_request: 'bad_request',
  aborted: 'unavailable',
  endpoint_not_allowed: 'forbidden',
};

const statusText = (status: number | undefined) => (status === undefined ? '' : ` (HTTP ${status})`);

function describe(code: ProviderErrorCode, { label, model }: ProviderTarget, options: ProviderErrorOptions): string {
  const { status, detail, attempts = 1 } = options;
  // `detail` only tells quota from rate: it is never part of the message.
  const gaveUp = attempts > 1 ? ` Gave up after ${attempts} attempts.` : '';
  switch (code) {
    case 'auth_failed':
      return `${label} rejected the API key${statusText(status)}. Check the key configured for this provider.`;
    case 'model_not_found':
      return `The model "${model}" is not available from ${label}. Check the model name.`;
    case 'context_too_long':
      return `The conversation is too long for the context window of "${model}".`;
    case 'rate_limited':
      return `${label} is rate limiting requests${detail?.includes('quota') ? ' (quota exhausted)' : ''}. Try again shortly.${gaveUp}`;
    case 'unavailable':
      return `${label} is unavailable right now${statusText(status)}. Try again shortly.${gaveUp}`;
    case 'interrupted':
      return `${label} could not be reached, or its response was cut off. Try again shortly.`;
    case 'invalid_request':
      return `${label} rejected the request${statusText(status)}.`;
    case 'aborted':
      return 'The model request was cancelled.';
    case 'endpoint_not_allowed': {
      // A redirect elsewhere is named, or the message would blame the endpoint the admin allowed.
      const elsewhere = options.refusedHost && !label.includes(options.refusedHost) ? options.refusedHost : undefined;
      const what = elsewhere ? `${label} redirected to ${elsewhere}, which is or resolves to` : `${label} resolves to`;
      return `${what} a loopback, private or link-local address, which team models may not use on this server. The server administrator can allow it (agent.modelHostAllowList).`;
    }
  }
}

const KEY_PATTERNS = [/\bsk-[A-Za-z0-9_-]{6,}/g, /\bBearer\s+[A-Za-z0-9._~+/=-]{6,}/gi];
const MAX_DETAIL = 300;

/** Removes the API key (and anything shaped like one) from a provider text and shortens it. */
export function redactSecrets(text: string, apiKey: string): string {
  let out = apiKey.length >= 4 ? text.split(apiKey).join('[redacted]') : text;
  for (const pattern of KEY_PATTERNS) out = out.replace(pattern, '[redacted]');
  return out.length > MAX_DETAIL ? `${out.slice(0, MAX_DETAIL)}…` : out;
}
