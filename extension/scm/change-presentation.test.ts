import assert from 'node:assert/strict';
import { groupChanges } from './change-presentation';

describe('Source Control groups', () => {
  it('puts a path in Staged, Changes or both from its index and worktree codes', () => {
    const c = (path: string, index: string, worktree: string, conflict = false) => ({ path, origPath: null, index, worktree, conflict }) as never;
    const grouped = groupChanges([c('both.ts', 'M', 'M'), c('staged.ts', 'A', '.'), c('new.ts', '.', '?'), c('gone.ts', '.', 'D'), c('clash.ts', 'U', 'U', true)]);
    assert.deepEqual(grouped.staged.map((x) => x.path), ['both.ts', 'staged.ts']);
    assert.deepEqual(grouped.changes.map((x) => x.path), ['both.ts', 'new.ts', 'gone.ts']);
    assert.deepEqual(grouped.conflicts.map((x) => x.path), ['clash.ts']);
  });
});
