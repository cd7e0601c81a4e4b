import type * as vscode from 'vscode';

/** A sandbox terminal this window showed: enough to find its PTY again after a reload. */
export interface RememberedTerminal {
  projectId: string;
  terminalId: string;
  name: string;
}

const KEY = 'slipway.terminals';
const LOCAL_KEY = 'slipway.localTerminals';
const MAX = 20;

/**
 * The sandbox terminals of this window, kept in workspaceState: after Reload Window the extension
 * re-attaches each one (its shell kept running in the sandbox) instead of losing it.
 */
export class TerminalMemory {
  constructor(private readonly state: vscode.Memento) {}

  list(): RememberedTerminal[] {
    const value = this.state.get<unknown>(KEY);
    return Array.isArray(value) ? value.filter(isRemembered).slice(-MAX) : [];
  }

  async remember(terminal: RememberedTerminal): Promise<void> {
    const others = this.list().filter((t) => !same(t, terminal));
    await this.state.update(KEY, [...others, terminal].slice(-MAX));
  }

  /** How many local (non-Slipway) terminals the window had when last counted. */
  localCount(): number {
    const value = this.state.get<unknown>(LOCAL_KEY);
    return typeof value === 'number' ? value : 0;
  }

  async countLocal(count: number): Promise<void> {
    if (count !== this.localCount()) await this.state.update(LOCAL_KEY, count);
  }

  async forget(terminal: Pick<RememberedTerminal, 'projectId' | 'terminalId'>): Promise<void> {
    const kept = this.list().filter((t) => !same(t, terminal));
    if (kept.length !== this.list().length) await this.state.update(KEY, kept);
  }
}

const same = (a: Pick<RememberedTerminal, 'projectId' | 'terminalId'>, b: Pick<RememberedTerminal, 'projectId' | 'terminalId'>) =>
  a.projectId === b.projectId && a.terminalId === b.terminalId;

function isRemembered(value: unknown): value is RememberedTerminal {
  const v = value as Partial<RememberedTerminal> | null;
  return typeof v === 'object' && v !== null && typeof v.projectId === 'string' && typeof v.terminalId === 'string' && typeof v.name === 'string';
}
