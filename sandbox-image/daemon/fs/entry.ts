import type { Stats } from 'node:fs';
import { lstat, realpath, stat } from 'node:fs/promises';
import path from 'node:path';
import type { Entry, EntryType } from '../../../protocol/daemon/fs';
import type { Workspace } from '../workspace/workspace';

const typeOf = (s: Stats): EntryType => (s.isFile() ? 'file' : s.isDirectory() ? 'directory' : s.isSymbolicLink() ? 'symlink' : 'other');

/**
 * Describes what is at `real`. A symlink is followed only when it resolves inside the workspace;
 * otherwise it is reported as a `symlink` with the link's own size and times.
 */
export async function describeEntry(ws: Workspace, rel: string, real: string, known?: Stats): Promise<Entry> {
  const own = known ?? (await lstat(real));
  let shown = own;
  if (own.isSymbolicLink()) {
    const target = await realpath(real).catch(() => undefined);
    if (target && ws.contains(target)) shown = await stat(target).catch(() => own);
  }
  return {
    path: rel,
    name: rel === '.' ? '.' : path.basename(rel),
    type: typeOf(shown),
    isSymlink: own.isSymbolicLink(),
    size: shown.size,
    mtimeMs: Math.trunc(shown.mtimeMs),
    mode: shown.mode & 0o7777,
  };
}
