import type { IPty } from 'node-pty';
import type { TerminalInfo } from '../../../protocol/daemon/pty';
import { Scrollback } from './scrollback';

export interface TerminalStatus {
  exitCode: number | null;
  signal: number | null;
}

export interface TerminalListener {
  output(data: string): void;
  exit(status: TerminalStatus): void;
}

/** How long after SIGHUP a terminal's process gets before SIGKILL. */
const HANGUP_GRACE_MS = 1000;

/**
 * One pseudo-terminal. It outlives the connections that watch it (a window reload, a network blip):
 * close, exit, or `onDetached`'s owner (after a while with nobody attached) ends it.
 */
export class Terminal {
  readonly scrollback: Scrollback;
  status: TerminalStatus | null = null;
  private readonly listeners = new Set<TerminalListener>();

  constructor(
    readonly id: string,
    private readonly pty: IPty,
    scrollbackBytes: number,
    /** Called when the last listener leaves (and at first, before anyone attached). */
    private readonly onDetached: (terminal: Terminal) => void = () => undefined,
  ) {
    this.scrollback = new Scrollback(scrollbackBytes);
    pty.onData((data) => {
      this.scrollback.append(data);
      for (const listener of this.listeners) listener.output(data);
    });
    pty.onExit(({ exitCode, signal }) => {
      this.status = { exitCode, signal: signal ?? null };
      for (const listener of this.listeners) listener.exit(this.status);
      this.listeners.clear();
    });
  }

  get running(): boolean {
    return this.status === null;
  }

  info(): TerminalInfo {
    return {
      terminalId: this.id,
      pid: this.pty.pid,
      cols: this.pty.cols,
      rows: this.pty.rows,
      running: this.running,
      exitCode: this.status?.exitCode ?? null,
    };
  }

  get attached(): number {
    return this.listeners.size;
  }

  listen(listener: TerminalListener): () => void {
    this.listeners.add(listener);
    return () => {
      if (this.listeners.delete(listener) && this.listeners.size === 0 && this.running) this.onDetached(this);
    };
  }

  write(data: string): void {
    if (this.running) this.pty.write(data);
  }

  resize(cols: number, rows: number): void {
    if (this.running) this.pty.resize(cols, rows);
  }

  /** Hangs up; kills if the process ignores it. */
  close(): void {
    if (!this.running) return;
    this.pty.kill('SIGHUP');
    setTimeout(() => this.running && this.pty.kill('SIGKILL'), HANGUP_GRACE_MS).unref();
  }
}
