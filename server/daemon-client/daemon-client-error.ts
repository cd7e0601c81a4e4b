import type { ErrorCode } from '../../protocol/errors';
import { ErrorBody } from '../../protocol/errors';

/** A daemon call that failed: the daemon's own error code and message, or a transport problem. */
export class DaemonClientError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    /** HTTP status, when the failure came over HTTP. */
    readonly status?: number,
  ) {
    super(message);
    this.name = 'DaemonClientError';
  }
}

const codeForStatus = (status: number): ErrorCode =>
  status === 401 ? 'unauthorized' : status === 403 ? 'forbidden' : status === 404 ? 'not_found' : status === 413 ? 'payload_too_large' : status >= 500 ? 'internal' : 'bad_request';

/** Builds the error for a non-2xx HTTP answer, from its `{error}` body when it has one. */
export function errorFromResponse(status: number, body: Buffer): DaemonClientError {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body.toString('utf8'));
  } catch {
    parsed = undefined;
  }
  const checked = ErrorBody.safeParse(parsed);
  if (checked.success) return new DaemonClientError(checked.data.error.code, checked.data.error.message, status);
  return new DaemonClientError(codeForStatus(status), `daemon answered HTTP ${status}`, status);
}
