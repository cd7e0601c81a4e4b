import type { ChangeCode, FileChange } from '../../protocol/daemon/git';

const WORDS: Record<ChangeCode, string> = {
  '.': 'Unchanged', M: 'Modified', T: 'Type changed', A: 'Added', D: 'Deleted', R: 'Renamed', C: 'Copied', U: 'Conflict', '?': 'Untracked', '!': 'Ignored',
};

/** Splits porcelain changes into VS Code's groups: staged (index side), changes (worktree side), conflicts. */
export function groupChanges(changes: FileChange[]): { staged: FileChange[]; changes: FileChange[]; conflicts: FileChange[] } {
  const conflicts = changes.filter((c) => c.conflict);
  const rest = changes.filter((c) => !c.conflict);
  return {
    conflicts,
    staged: rest.filter((c) => c.index !== '.' && c.index !== '?' && c.index !== '!'),
    changes: rest.filter((c) => c.worktree !== '.' && c.worktree !== '!'),
  };
}

export function describeCode(code: ChangeCode): string {
  return WORDS[code];
}
