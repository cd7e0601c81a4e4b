import type { ErrorCode, ErrorInfo, ErrorReason } from '../../../protocol/errors';
import { log } from '../log';

/** An error meant for the caller: its code, reason and message go on the wire as they are. */
export class DaemonError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly reason?: ErrorReason,
  ) {
    super(message);
    this.name = 'DaemonError';
  }
}

/** What each errno tells the caller: the code (its status), the exact reason, and a sentence. */
const errnoCodes: Record<string, [ErrorCode, ErrorReason, string]> = {
  ENOENT: ['not_found', 'not_found', 'no such file or directory'],
  EEXIST: ['conflict', 'already_exists', 'already exists'],
  ENOTEMPTY: ['conflict', 'not_empty', 'directory not empty'],
  ENOTDIR: ['bad_request', 'not_a_directory', 'not a directory'],
  EISDIR: ['bad_request', 'is_a_directory', 'is a directory'],
  EACCES: ['forbidden', 'permission_denied', 'permission denied'],
  EPERM: ['forbidden', 'permission_denied', 'operation not permitted'],
  EROFS: ['forbidden', 'read_only', 'read-only file system'],
  ELOOP: ['bad_request', 'symlink_loop', 'too many levels of symbolic links'],
  ENAMETOOLONG: ['bad_request', 'name_too_long', 'name too long'],
  EINVAL: ['bad_request', 'invalid_argument', 'invalid argument'],
  EXDEV: ['bad_request', 'cross_device', 'cannot move across devices'],
  ENOSPC: ['unavailable', 'no_space', 'no space left on device'],
  EDQUOT: ['unavailable', 'quota', 'disk quota exceeded'],
  ECONNRESET: ['bad_request', 'cut_off', 'the request was cut off'],
  EMFILE: ['unavailable', 'too_many_open_files', 'too many open files'],
  EAGAIN: ['unavailable', 'too_many_processes', 'no process can be started: the sandbox\'s process limit is used up; restart the sandbox'],
  ERR_FS_CP_EINVAL: ['bad_request', 'copy_into_itself', 'cannot copy a directory into itself'],
  ERR_FS_CP_DIR_TO_NON_DIR: ['conflict', 'already_exists', 'cannot overwrite a file with a directory'],
  ERR_FS_CP_NON_DIR_TO_DIR: ['conflict', 'already_exists', 'cannot overwrite a directory with a file'],
  ERR_FS_EISDIR: ['bad_request', 'is_a_directory', 'is a directory (use recursive)'],
  ERR_FS_CP_EEXIST: ['conflict', 'already_exists', 'already exists'],
};

const errnoOf = (error: unknown): string | undefined =>
  error instanceof Error && 'code' in error && typeof error.code === 'string' ? error.code : undefined;

export const isErrno = (error: unknown, code: string): boolean => errnoOf(error) === code;

/**
 * Turns anything thrown into what the caller may see. Known filesystem errors become their code
 * with the workspace-relative `subject`; everything else is logged and reported as `internal`.
 */
export function toErrorInfo(error: unknown, subject?: string): ErrorInfo {
  if (error instanceof DaemonError) return { code: error.code, message: error.message, ...(error.reason && { reason: error.reason }) };
  const known = errnoCodes[errnoOf(error) ?? ''];
  if (known) return { code: known[0], reason: known[1], message: subject ? `${known[2]}: ${subject}` : known[2] };
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
    throw new DaemonError(info.code, info.message, info.reason);
  }
}
