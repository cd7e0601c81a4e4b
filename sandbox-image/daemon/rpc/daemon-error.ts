import type { ErrorCode, ErrorInfo } from '../../../protocol/errors';
import { log } from '../log';

/** An error meant for the caller: its code and message go on the wire as they are. */
export class DaemonError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'DaemonError';
  }
}

const errnoCodes: Record<string, [ErrorCode, string]> = {
  ENOENT: ['not_found', 'no such file or directory'],
  EEXIST: ['conflict', 'already exists'],
  ENOTEMPTY: ['conflict', 'directory not empty'],
  ENOTDIR: ['bad_request', 'not a directory'],
  EISDIR: ['bad_request', 'is a directory'],
  EACCES: ['forbidden', 'permission denied'],
  EPERM: ['forbidden', 'operation not permitted'],
  EROFS: ['forbidden', 'read-only file system'],
  ELOOP: ['bad_request', 'too many levels of symbolic links'],
  ENAMETOOLONG: ['bad_request', 'name too long'],
  EINVAL: ['bad_request', 'invalid argument'],
  EXDEV: ['bad_request', 'cannot move across devices'],
  ENOSPC: ['unavailable', 'no space left on device'],
  ECONNRESET: ['bad_request', 'the request was cut off'],
  EMFILE: ['unavailable', 'too many open files'],
  ERR_FS_CP_EINVAL: ['bad_request', 'cannot copy a directory into itself'],
  ERR_FS_CP_DIR_TO_NON_DIR: ['conflict', 'cannot overwrite a file with a directory'],
  ERR_FS_CP_NON_DIR_TO_DIR: ['conflict', 'cannot overwrite a directory with a file'],
  ERR_FS_EISDIR: ['bad_request', 'is a directory (use recursive)'],
  ERR_FS_CP_EEXIST: ['conflict', 'already exists'],
};

const errnoOf = (error: unknown): string | undefined =>
  error instanceof Error && 'code' in error && typeof error.code === 'string' ? error.code : undefined;

export const isErrno = (error: unknown, code: string): boolean => errnoOf(error) === code;

/**
 * Turns anything thrown into what the caller may see. Known filesystem errors become their code
 * with the workspace-relative `subject`; everything else is logged and reported as `internal`.
 */
export function toErrorInfo(error: unknown, subject?: string): ErrorInfo {
  if (error instanceof DaemonError) return { code: error.code, message: error.message };
  const known = errnoCodes[errnoOf(error) ?? ''];
  if (known) return { code: known[0], message: subject ? `${known[1]}: ${subject}` : known[1] };
  log.error('unexpected error', error);
  return { code: 'internal', message: 'internal error' };
}

/** Runs a filesystem operation, rethrowing its errno as a DaemonError about `subject`. */
export async function describing<T>(subject: string, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    if (error instanceof DaemonError || !errnoCodes[errnoOf(error) ?? '']) throw error;
    const info = toErrorInfo(error, subject);
    throw new DaemonError(info.code, info.message);
  }
}
