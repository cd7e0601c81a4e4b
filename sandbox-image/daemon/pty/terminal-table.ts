import type { Resolved } from '../workspace/workspace';
import { DaemonError } from '../rpc/daemon-error';
import { Terminal } from './terminal';

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

/** The open terminals, by id. Exited ones stay (for their scrollback) until closed, up to a limit. */
export class TerminalTable {
  private readonly terminals = new Map<string, Terminal>();
  private sequence = 0;

  constructor(private readonly options = { scrollbackBytes: 256 * 1024, keepExited: 20 }) {}

  async open(request: OpenRequest): Promise<Terminal> {
    const pty = await loadPty();
    const [file = 'bash', ...args] = request.command;
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
      throw new DaemonError('bad_request', `could not start ${file}`);
    }
    const terminal = new Terminal(`term_${++this.sequence}`, spawned, this.options.scrollbackBytes);
    this.terminals.set(terminal.id, terminal);
    spawned.onExit(() => this.prune());
    return terminal;
  }

  get(id: string): Terminal {
    const terminal = this.terminals.get(id);
    if (!terminal) throw new DaemonError('not_found', `no such terminal: ${id}`);
    return terminal;
  }

  list(): Terminal[] {
    return [...this.terminals.values()];
  }

  close(id: string): void {
    this.get(id).close();
    this.terminals.delete(id);
  }

  closeAll(): void {
    for (const terminal of this.terminals.values()) terminal.close();
    this.terminals.clear();
  }

  private prune(): void {
    const exited = this.list().filter((terminal) => !terminal.running);
    for (const terminal of exited.slice(0, Math.max(0, exited.length - this.options.keepExited))) this.terminals.delete(terminal.id);
  }
}
