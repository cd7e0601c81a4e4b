import type { Dirent } from 'node:fs';
import { lstat, opendir } from 'node:fs/promises';
import path from 'node:path';
import type { Entry } from '../../../protocol/daemon/fs';
import { DaemonError, describing } from '../rpc/daemon-error';
import type { Resolved, Workspace } from '../workspace/workspace';
import { describeEntry } from './entry';
import { GitignoreRules } from './gitignore-rules';

export interface ListOptions {
  recursive: boolean;
  maxDepth: number;
  limit: number;
  gitignore: boolean;
}

interface Pending {
  rel: string;
  real: string;
  /** Relative to the listed directory, for gitignore matching. */
  inner: string;
  depth: number;
  rules: GitignoreRules;
}

/**
 * Lists a directory, breadth first when recursive, in name order within each directory. Symlinked
 * directories are reported but not descended into. Stops at `limit` entries.
 */
export async function listDirectory(ws: Workspace, dir: Resolved, options: ListOptions): Promise<{ entries: Entry[]; truncated: boolean }> {
  const root = await describing(dir.rel, () => lstat(dir.real));
  if (!root.isDirectory()) throw new DaemonError('bad_request', `not a directory: ${dir.rel}`, 'not_a_directory');
  const entries: Entry[] = [];
  const queue: Pending[] = [{ rel: dir.rel, real: dir.real, inner: '', depth: 1, rules: GitignoreRules.empty }];
  for (let next = queue.shift(); next; next = queue.shift()) {
    const rules = options.gitignore ? await next.rules.enter(next.real, next.inner) : next.rules;
    const children = await readChildren(next.real, next.depth === 1 ? dir.rel : null);
    for (const child of children) {
      const inner = next.inner ? `${next.inner}/${child.name}` : child.name;
      if (options.gitignore && rules.ignores(inner, child.isDirectory())) continue;
      if (entries.length >= options.limit) return { entries, truncated: true };
      const rel = next.rel === '.' ? child.name : `${next.rel}/${child.name}`;
      const real = path.join(next.real, child.name);
      const entry = await describeEntry(ws, rel, real).catch(() => undefined);
      if (!entry) continue;
      entries.push(entry);
      if (options.recursive && child.isDirectory() && next.depth < options.maxDepth) {
        queue.push({ rel, real, inner, depth: next.depth + 1, rules });
      }
    }
  }
  return { entries, truncated: false };
}

/** Children sorted by name. A directory that vanished mid-walk reads as empty, unless it is the start. */
async function readChildren(real: string, startRel: string | null): Promise<Dirent[]> {
  const read = async (): Promise<Dirent[]> => {
    const found: Dirent[] = [];
    for await (const dirent of await opendir(real)) found.push(dirent);
    return found.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  };
  if (startRel !== null) return describing(startRel, read);
  return read().catch(() => []);
}
