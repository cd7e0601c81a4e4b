import { ClientError } from '../../protocol/client/client-error';

/** The `vscode.FileSystemError` factory a failure maps to (`Unknown`: the plain constructor). */
export type FsErrorKind = 'FileNotFound' | 'FileExists' | 'FileNotADirectory' | 'FileIsADirectory' | 'NoPermissions' | 'Unavailable' | 'Unknown';

/**
 * What a failed workspace call means to VS Code's file service, and the server's sentence for it.
 * `conflict` means "already exists" from the daemon, but "sandbox not running" from the server.
 */
export function fsErrorKind(error: unknown): { kind: FsErrorKind; message: string } {
  const message = error instanceof Error ? error.message : String(error);
  if (!ClientError.is(error)) return { kind: 'Unknown', message };
  if (error.kind === 'network') return { kind: 'Unavailable', message };
  switch (error.code) {
    case 'not_found':
      return { kind: 'FileNotFound', message };
    case 'conflict':
      if (/already exists|cannot overwrite/i.test(message)) return { kind: 'FileExists', message };
      if (/not empty/i.test(message)) return { kind: 'NoPermissions', message };
      return { kind: 'Unavailable', message };
    case 'bad_request':
    case 'validation_failed':
      if (/not a directory/i.test(message)) return { kind: 'FileNotADirectory', message };
      if (/is a directory/i.test(message)) return { kind: 'FileIsADirectory', message };
      return { kind: 'Unknown', message };
    case 'forbidden':
    case 'unauthorized':
      return { kind: 'NoPermissions', message };
    case 'unavailable':
    case 'internal':
    case 'rate_limited':
      return { kind: 'Unavailable', message };
    default:
      return { kind: 'Unknown', message };
  }
}
