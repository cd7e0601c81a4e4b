import type { ErrorCode, ErrorReason } from '../../protocol/errors';
import { ErrorBody } from '../../protocol/errors';
import { AppError } from '../errors';

/** A daemon call that failed: the daemon's own code, reason and message, or a transport problem. */
export class DaemonClientError extends AppError {
  constructor(code: ErrorCode, message: string, options: { status?: number; reason?: ErrorReason } = {}) {
    super(code, message, { ...options, expose: false });
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
  if (checked.success) {
    const { code, message, reason } = checked.data.error;
    return new DaemonClientError(code, message, { status, ...(reason && { reason }) });
  }
  return new DaemonClientError(codeForStatus(status), `daemon answered HTTP ${status}`, { status });
}
