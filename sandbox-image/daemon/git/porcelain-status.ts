import type { BranchState, ChangeCode, FileChange } from '../../../protocol/daemon/git';
import { ChangeCode as ChangeCodeSchema } from '../../../protocol/daemon/git';

/** The fields before the path in each porcelain v2 record kind (`1`, `2`, `u`). */
const FIELDS_BEFORE_PATH: Record<string, number> = { '1': 8, '2': 9, u: 10 };

const code = (letter: string | undefined): ChangeCode => {
  const parsed = ChangeCodeSchema.safeParse(letter);
  return parsed.success ? parsed.data : 'M';
};

/** Splits off `count` space-separated fields; the rest (a path, which may hold spaces) stays whole. */
function fields(record: string, count: number): { head: string[]; rest: string } {
  const head: string[] = [];
  let at = 0;
  for (let i = 0; i < count; i++) {
    const next = record.indexOf(' ', at);
    if (next < 0) return { head, rest: '' };
    head.push(record.slice(at, next));
    at = next + 1;
  }
  return { head, rest: record.slice(at) };
}

/**
 * Reads `git status --porcelain=v2 --branch -z`: header lines for the branch, then one record per
 * changed path (NUL-terminated; a rename's original path is the next NUL-terminated field).
 */
export function parseStatus(output: string): { branch: BranchState; changes: FileChange[] } {
  const branch: BranchState = { head: null, oid: null, upstream: null, ahead: 0, behind: 0 };
  const changes: FileChange[] = [];
  const records = output.split('\0');
  for (let i = 0; i < records.length; i++) {
    const record = records[i]!;
    if (!record) continue;
    if (record.startsWith('# ')) {
      const { head, rest } = fields(record, 2);
      const key = head[1];
      if (key === 'branch.oid') branch.oid = rest === '(initial)' ? null : rest;
      else if (key === 'branch.head') branch.head = rest === '(detached)' ? null : rest;
      else if (key === 'branch.upstream') branch.upstream = rest;
      else if (key === 'branch.ab') {
        const [ahead = '+0', behind = '-0'] = rest.split(' ');
        branch.ahead = Math.abs(Number(ahead)) || 0;
        branch.behind = Math.abs(Number(behind)) || 0;
      }
      continue;
    }
    const kind = record[0]!;
    if (kind === '?' || kind === '!') {
      changes.push({ path: record.slice(2), origPath: null, index: '.', worktree: kind, conflict: false });
      continue;
    }
    const count = FIELDS_BEFORE_PATH[kind];
    if (count === undefined) continue;
    const { head, rest } = fields(record, count);
    const xy = head[1] ?? '..';
    const origPath = kind === '2' ? (records[++i] ?? null) : null;
    changes.push({ path: rest, origPath, index: code(xy[0]), worktree: code(xy[1]), conflict: kind === 'u' });
  }
  return { branch, changes };
}
