import type { ErrorCode, ErrorInfo, ErrorReason } from '../errors';

/**
 * Why a call to the server failed:
 * - `server`: the server answered with an error body (`code` is one of the protocol's codes, and
 *   `reason`, when there is one, says exactly why, as set where the failure happened),
 * - `network`: it could not be reached (refused, DNS, timeout, socket closed),
 * - `invalid`: it answered something that is not the protocol (wrong schema, not JSON, another product),
 * - `request`: the call was refused before sending (its input does not match the route's schemas).
 */
export type ClientErrorKind = 'server' | 'network' | 'invalid' | 'request';

export class ClientError extends Error {
  override readonly name = 'ClientError';
  constructor(
    readonly kind: ClientErrorKind,
    message: string,
    readonly code?: ErrorCode,
    readonly status?: number,
    readonly reason?: ErrorReason,
  ) {
    super(message);
  }

  /** The server's `{error}` answer, with its code and reason unchanged. */
  static fromServer(error: ErrorInfo, status?: number): ClientError {
    return new ClientError('server', error.message, error.code, status, error.reason);
  }

  static is(value: unknown, code?: ErrorCode): value is ClientError {
    return value instanceof ClientError && (code === undefined || value.code === code);
  }
}
