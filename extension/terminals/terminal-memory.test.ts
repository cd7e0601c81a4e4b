import assert from 'node:assert/strict';
import type * as vscode from 'vscode';
import { TerminalMemory } from './terminal-memory';

/** workspaceState as VS Code keeps it: JSON values by key. */
function memento(): vscode.Memento {
  const values = new Map<string, unknown>();
  return {
    keys: () => [...values.keys()],
    get: <T>(key: string, fallback?: T) => (values.has(key) ? JSON.parse(JSON.stringify(values.get(key))) as T : fallback),
    update: async (key: string, value: unknown) => void values.set(key, value),
  } as vscode.Memento;
}

describe('Terminal memory', () => {
  it('remembers the sandbox terminals of a window across a reload, and forgets closed ones', async () => {
    const state = memento();
    const before = new TerminalMemory(state);
    await before.remember({ projectId: 'p1', terminalId: 'term_1', name: 'App (sandbox)' });
    await before.remember({ projectId: 'p1', terminalId: 'term_2', name: 'App (sandbox)' });
    await before.remember({ projectId: 'p2', terminalId: 'term_1', name: 'Other (sandbox)' });
    await before.remember({ projectId: 'p1', terminalId: 'term_1', name: 'App (sandbox)' });
    const after = new TerminalMemory(state); // the next window
    assert.deepEqual(after.list().map((t) => `${t.projectId}/${t.terminalId}`), ['p1/term_2', 'p2/term_1', 'p1/term_1']);
    await after.forget({ projectId: 'p1', terminalId: 'term_2' });
    assert.deepEqual(after.list().map((t) => `${t.projectId}/${t.terminalId}`), ['p2/term_1', 'p1/term_1']);
  });

  it('ignores what it cannot read', async () => {
    const state = memento();
    await state.update('slipway.terminals', [{ projectId: 1 }, 'x', null, { projectId: 'p', terminalId: 't', name: 'n' }]);
    assert.deepEqual(new TerminalMemory(state).list(), [{ projectId: 'p', terminalId: 't', name: 'n' }]);
    await state.update('slipway.terminals', 'garbage');
    assert.deepEqual(new TerminalMemory(state).list(), []);
  });
});
