import type { Middleware } from 'koa';
import { ZodError } from 'zod';
import { describeIssues, type ErrorBody, type ErrorInfo } from '../../protocol/errors';
import { DaemonClientError } from '../daemon-client/daemon-client-error';
import { isDatabaseUnavailable } from '../db/database';
import { AppError } from '../errors';
import type { Logger } from '../log';

/**
 * The only place errors become responses: `{error: {code, message, reason?}}` with the code's status.
 * Unexpected errors are logged with their detail and answered with a generic message.
 */
export function errorMiddleware(log: Logger): Middleware {
  return async (ctx, next) => {
    try {
      await next();
      if (ctx.body === undefined || ctx.body === null) {
        if (ctx.status === 404) throw new AppError('not_found', `no route for ${ctx.method} ${ctx.path}`);
        if (ctx.status === 405) throw new AppError('method_not_allowed', `${ctx.method} is not allowed here (allowed: ${ctx.response.get('Allow') || 'none'})`);
      }
    } catch (caught) {
      const error = toAppError(caught);
      if (error.reason === 'database_unavailable') log.warn({ method: ctx.method, path: ctx.path }, 'request refused: the database is unavailable');
      // A sandbox restarting is expected and logged once where it is seen, not once per request with a stack.
      else if (error.reason === 'sandbox_not_running' || error.reason === 'sandbox_restarting') log.debug({ method: ctx.method, path: ctx.path, reason: error.reason }, 'request refused: the sandbox is not running');
      else if (error.status >= 500) log.error({ err: caught, method: ctx.method, path: ctx.path }, 'request failed');
      ctx.status = error.status;
      if (error.retryAfter !== undefined) ctx.set('Retry-After', String(error.retryAfter));
      const body: ErrorBody = { error: errorInfo(error) };
      ctx.body = body;
    }
  };
}

/** What the client sees of an error: its code and reason, and its message when it may be shown. */
export function errorInfo(error: AppError): ErrorInfo {
  return {
    code: error.code,
    message: error.expose ? error.message : 'something went wrong on the server',
    ...(error.reason && { reason: error.reason }),
  };
}

export function toAppError(caught: unknown): AppError {
  if (caught instanceof DaemonClientError) {
    // The sandbox's own answers (no such file, not a directory…) are the user's business, with the
    // daemon's reason unchanged; a refused token or an unreachable daemon is ours, and not a reason
    // to tell the client it is signed out.
    if (caught.code === 'unauthorized' || caught.code === 'internal') return new AppError('internal', caught.message, { expose: false, cause: caught });
    if (caught.code === 'unavailable') return new AppError('unavailable', 'the sandbox did not answer; try again in a moment', { cause: caught, reason: 'sandbox_unavailable' });
    return new AppError(caught.code, caught.message, { cause: caught, reason: caught.reason });
  }
  if (caught instanceof AppError) return caught;
  if (isDatabaseUnavailable(caught)) return databaseUnavailable(caught);
  if (caught instanceof ZodError) return new AppError('validation_failed', describeIssues(caught));
  // Errors from http-errors (Koa's ctx.throw, the router) carry a status and may be exposed.
  const status = (caught as { status?: unknown }).status;
  if (typeof status === 'number' && status >= 400 && status < 500) {
    const code = status === 404 ? 'not_found' : status === 405 ? 'method_not_allowed' : status === 413 ? 'payload_too_large' : 'bad_request';
    return new AppError(code, (caught as Error).message || 'bad request');
  }
  return new AppError('internal', (caught as Error)?.message ?? 'unknown error', { expose: false, cause: caught });
}

/** 503 `database_unavailable` with Retry-After: the database is down or restarting; the request did nothing. */
export const databaseUnavailable = (cause?: unknown): AppError =>
  new AppError('unavailable', 'the database is unavailable at the moment; try again in a few seconds', { reason: 'database_unavailable', cause, retryAfter: 5, expose: true });
