import { errorStatus, type ErrorCode, type ErrorReason } from '../protocol/errors';

export interface AppErrorOptions {
  /** Exactly what went wrong, from protocol's closed list; carried unchanged to clients. */
  reason?: ErrorReason;
  /** Whether `message` may reach the client (default: for 4xx codes). */
  expose?: boolean;
  cause?: unknown;
  /** Seconds until retrying makes sense (sent as Retry-After). */
  retryAfter?: number;
  /** The HTTP status, when it is not the code's own (e.g. what a daemon answered). */
  status?: number;
}

/**
 * The base of every failure the server raises itself (daemon calls, sandboxes, providers, turns,
 * tools…). `code` says how a boundary answers, `reason` exactly why. `expose` says whether
 * `message` may reach the client; when false the client sees a generic message and the detail only
 * goes to the log.
 */
export class AppError extends Error {
  readonly code: ErrorCode;
  readonly reason: ErrorReason | undefined;
  readonly status: number;
  readonly expose: boolean;
  readonly retryAfter: number | undefined;

  constructor(code: ErrorCode, message: string, options: AppErrorOptions = {}) {
    super(message, { cause: options.cause });
    this.name = 'AppError';
    this.code = code;
    this.reason = options.reason;
    this.status = options.status ?? errorStatus[code];
    this.expose = options.expose ?? errorStatus[code] < 500;
    this.retryAfter = options.retryAfter;
  }
}

export const notFound = (what: string) => new AppError('not_found', `${what} not found`);
export const forbidden = (message = 'you may not do that') => new AppError('forbidden', message);
export const badRequest = (message: string) => new AppError('bad_request', message);
export const conflict = (message: string) => new AppError('conflict', message);
export const unauthorized = (message = 'sign in first') => new AppError('unauthorized', message);
