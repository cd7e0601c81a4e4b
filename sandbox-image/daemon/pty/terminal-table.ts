import type { Resolved } from '../workspace/workspace';
import { DaemonError } from '../rpc/daemon-error';
import { Terminal } from './terminal';
import { belowDaemon } from '../exec/below-daemon';

export interface OpenRequest {
  command: string[];
  cols: number;
  rows: number;
  cwd: Resolved;
  env: Record<string, string>;
}

type PtyModule = typeof import('node-pty');
let ptyModule: Promise<PtyModule> | undefined;
/** node-pty is loaded on first use, so a daemon that never opens a terminal stays small. */
const loadPty = (): Promise<PtyModule> => (ptyModule ??= import('node-pty'));

export interface TerminalTableOptions {
  scrollbackBytes: number;
  keepExited: number;
  /** How long a running terminal with nobody attached is kept before it is hung up. */
  detachedMs: number;
}

/**
 * The open terminals, by id. A terminal nobody watches keeps running for `detachedMs` (so a window
 * reload finds its shell, and the dev server it started, still there), then is hung up. Exited
 * ones stay (for their scrollback) until closed, up to a limit.
 */
export class TerminalTable {
  private readonly terminals = new Map<string, Terminal>();
  private readonly reapers = new Map<string, NodeJS.Timeout>();
  private readonly options: TerminalTableOptions;
  private sequence = 0;

  constructor(options: Partial<TerminalTableOptions> = {}) {
    this.options = { scrollbackBytes: 256 * 1024, keepExited: 20, detachedMs: 3600_000, ...options };
  }

  async open(request: OpenRequest): Promise<Terminal> {
    const pty = await loadPty();
    const [command = 'bash', ...commandArgs] = request.command;
    const [file, args] = await belowDaemon(command, commandArgs, request.cwd.real, request.env.PATH ?? process.env.PATH);
    let spawned;
    try {
      spawned = pty.spawn(file, args, {
        name: 'xterm-256color',
        cols: request.cols,
        rows: request.rows,
        cwd: request.cwd.real,
        env: { TERM: 'xterm-256color', COLORTERM: 'truecolor', ...request.env },
      });
    } catch {
      throw new DaemonError('bad_request', `could not start ${command}`);
    }
    const terminal = new Terminal(`term_${++this.sequence}`, spawned, this.options.scrollbackBytes, (t) => this.detached(t));
    this.terminals.set(terminal.id, terminal);
    spawned.onExit(() => {
      this.stopReaper(terminal.id);
      this.prune();
    });
    this.detached(terminal);
    return terminal;
  }

  /** A client attaches: the terminal is kept. */
  attached(id: string): void {
    this.stopReaper(id);
  }

  private detached(terminal: Terminal): void {
    this.stopReaper(terminal.id);
    const timer = setTimeout(() => {
      this.reapers.delete(terminal.id);
      if (terminal.attached === 0 && this.terminals.get(terminal.id) === terminal) this.close(terminal.id);
    }, this.options.detachedMs);
    timer.unref();
    this.reapers.set(terminal.id, timer);
  }

  private stopReaper(id: string): void {
    clearTimeout(this.reapers.get(id));
    this.reapers.delete(id);
  }

  get(id: string): Terminal {
    const terminal = this.terminals.get(id);
    if (!terminal) throw new DaemonError('not_found', `no such terminal: ${id}`, 'not_found');
    return terminal;
  }

  list(): Terminal[] {
    return [...this.terminals.values()];
  }

  close(id: string): void {
    this.get(id).close();
    this.stopReaper(id);
    this.terminals.delete(id);
  }

  closeAll(): void {
    for (const terminal of this.terminals.values()) terminal.close();
    for (const id of this.reapers.keys()) this.stopReaper(id);
    this.terminals.clear();
  }

  private prune(): void {
    const exited = this.list().filter((terminal) => !terminal.running);
    for (const terminal of exited.slice(0, Math.max(0, exited.length - this.options.keepExited))) this.terminals.delete(terminal.id);
  }
}
