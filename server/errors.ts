import { errorStatus, type ErrorCode } from '../protocol/errors';

/**
 * The one error class of the server. `expose` says whether `message` may reach the client;
 * when false the client sees a generic message and the detail only goes to the log.
 */
export class AppError extends Error {
  readonly code: ErrorCode;
  readonly status: number;
  readonly expose: boolean;
  /** Seconds until retrying makes sense (sent as Retry-After). */
  readonly retryAfter: number | undefined;

  constructor(code: ErrorCode, message: string, options: { expose?: boolean; cause?: unknown; retryAfter?: number } = {}) {
    super(message, { cause: options.cause });
    this.name = 'AppError';
    this.code = code;
    this.status = errorStatus[code];
    this.expose = options.expose ?? this.status < 500;
    this.retryAfter = options.retryAfter;
  }
}

export const notFound = (what: string) => new AppError('not_found', `${what} not found`);
export const forbidden = (message = 'you may not do that') => new AppError('forbidden', message);
export const badRequest = (message: string) => new AppError('bad_request', message);
export const conflict = (message: string) => new AppError('conflict', message);
export const unauthorized = (message = 'sign in first') => new AppError('unauthorized', message);
