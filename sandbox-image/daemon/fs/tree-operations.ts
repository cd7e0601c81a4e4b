import { cp, lstat, mkdir, rename, rm, rmdir } from 'node:fs/promises';
import type { Entry } from '../../../protocol/daemon/fs';
import { DaemonError, describing, isErrno } from '../rpc/daemon-error';
import type { Resolved, Workspace } from '../workspace/workspace';
import { describeEntry } from './entry';

/** mkdir, rename, copy and delete. Paths arrive resolved and confined. */

export async function makeDirectory(ws: Workspace, dir: Resolved, recursive: boolean): Promise<Entry> {
  await describing(dir.rel, () => mkdir(dir.real, { recursive }));
  return describeEntry(ws, dir.rel, dir.real);
}

async function exists(real: string): Promise<boolean> {
  try {
    await lstat(real);
    return true;
  } catch (error) {
    if (isErrno(error, 'ENOENT')) return false;
    throw error;
  }
}

/** `from` and `to` come from resolveEntry: a symlink is moved or replaced, never followed. */
export async function move(ws: Workspace, from: Resolved, to: Resolved, overwrite: boolean): Promise<Entry> {
  await describing(from.rel, () => lstat(from.real));
  if (!overwrite && (await exists(to.real))) throw new DaemonError('conflict', `already exists: ${to.rel}`, 'already_exists');
  await describing(`${from.rel} -> ${to.rel}`, () => rename(from.real, to.real));
  return describeEntry(ws, to.rel, to.real);
}

/**
 * `from` from resolveEntry (a symlink is copied as a link), `to` fully resolved (so copying onto
 * a symlink cannot write outside). Symlinks inside copied trees are copied as they are.
 */
export async function copy(ws: Workspace, from: Resolved, to: Resolved, options: { overwrite: boolean; recursive: boolean }): Promise<Entry> {
  const source = await describing(from.rel, () => lstat(from.real));
  if (source.isDirectory() && !options.recursive) throw new DaemonError('bad_request', `is a directory (use recursive): ${from.rel}`, 'is_a_directory');
  if (!options.overwrite && (await exists(to.real))) throw new DaemonError('conflict', `already exists: ${to.rel}`, 'already_exists');
  await describing(`${from.rel} -> ${to.rel}`, () =>
    cp(from.real, to.real, { recursive: true, force: options.overwrite, errorOnExist: !options.overwrite, verbatimSymlinks: true }),
  );
  return describeEntry(ws, to.rel, to.real);
}

/** Without `recursive`, only files, links and empty directories go. */
export async function remove(target: Resolved, recursive: boolean): Promise<void> {
  const found = await describing(target.rel, () => lstat(target.real));
  if (found.isDirectory() && !recursive) {
    await describing(target.rel, () => rmdir(target.real));
    return;
  }
  await describing(target.rel, () => rm(target.real, { recursive, force: false }));
}
