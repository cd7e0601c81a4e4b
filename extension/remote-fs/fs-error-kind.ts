import { ClientError } from '../../protocol/client/client-error';
import type { ErrorCode, ErrorReason } from '../../protocol/errors';

/** The `vscode.FileSystemError` factory a failure maps to (`Unknown`: the plain constructor). */
export type FsErrorKind = 'FileNotFound' | 'FileExists' | 'FileNotADirectory' | 'FileIsADirectory' | 'NoPermissions' | 'Unavailable' | 'Unknown';

/** The exact reasons VS Code's file service has a word for; set by the daemon or the server. */
const byReason: Partial<Record<ErrorReason, FsErrorKind>> = {
  not_found: 'FileNotFound',
  already_exists: 'FileExists',
  not_empty: 'NoPermissions',
  not_a_directory: 'FileNotADirectory',
  is_a_directory: 'FileIsADirectory',
  permission_denied: 'NoPermissions',
  read_only: 'NoPermissions',
  sandbox_not_running: 'Unavailable',
  sandbox_unavailable: 'Unavailable',
  no_space: 'Unavailable',
  quota: 'Unavailable',
  too_many_open_files: 'Unavailable',
};

/** Without a reason, the code alone says this much. */
const byCode: Partial<Record<ErrorCode, FsErrorKind>> = {
  not_found: 'FileNotFound',
  forbidden: 'NoPermissions',
  unauthorized: 'NoPermissions',
  unavailable: 'Unavailable',
  internal: 'Unavailable',
  rate_limited: 'Unavailable',
};

/** What a failed workspace call means to VS Code's file service, and the server's sentence for it. */
export function fsErrorKind(error: unknown): { kind: FsErrorKind; message: string } {
  const message = error instanceof Error ? error.message : String(error);
  if (!ClientError.is(error)) return { kind: 'Unknown', message };
  if (error.kind === 'network') return { kind: 'Unavailable', message };
  const kind = (error.reason && byReason[error.reason]) ?? (error.code && byCode[error.code]) ?? 'Unknown';
  return { kind, message };
}
