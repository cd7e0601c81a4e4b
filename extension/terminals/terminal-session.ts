import { ClientError } from '../../protocol/client/client-error';
import type { SocketClient } from '../../protocol/client/socket-client';
import type { WsResult } from '../../protocol/ws';
import { whenOpen } from '../connection/when-open';
import { appendTail, CLEAR_SCREEN, continuation } from './scrollback-merge';

export type TermSocket = Pick<SocketClient, 'request' | 'on' | 'onState' | 'state' | 'keep'>;

/** Where a session's output goes (the Pseudoterminal, or a test's recorder). */
export interface Screen {
  write(data: string): void;
  /** The PTY ended (`code` as the shell exited) or was lost for good (`lost` says why). */
  ended(code: number | undefined, lost?: string): void;
}

const INPUT_CHUNK = 64 * 1024;

/**
 * A terminal in a project's sandbox, bridged over the extension's socket. The PTY lives in the
 * sandbox, so a network blip only interrupts the bridge: after every reconnection the session
 * attaches again and writes just the part of the scrollback the screen has not shown yet. Keys are
 * sent one request at a time (in order, coalesced), and kept while disconnected.
 */
export class TerminalSession {
  private terminalId: string | undefined;
  private shown = '';
  private attached = false;
  private ended = false;
  private pendingInput = '';
  private sending = false;
  private size = { cols: 80, rows: 24 };
  /** The user closed the terminal (not just its window going away): the PTY must end. */
  private closing = false;
  private readonly offs: (() => void)[] = [];

  constructor(
    private readonly socket: TermSocket, readonly projectId: string, private readonly screen: Screen,
    private readonly options: { cwd?: string; command?: string[]; log?: (message: string) => void; attachRetryMs?: number } = {},
  ) {}

  get id(): string | undefined {
    return this.terminalId;
  }

  /** The end of what the terminal has shown (raw, with its escape sequences). */
  get recentOutput(): string {
    return this.shown;
  }

  /** Opens a new PTY (or joins `terminalId`, one that already runs) and attaches to it. */
  async open(cols: number, rows: number, terminalId?: string): Promise<void> {
    this.size = { cols, rows };
    await whenOpen(this.socket);
    const id = terminalId ?? (await this.socket.request('terminal.open', { projectId: this.projectId, cols, rows, cwd: this.options.cwd ?? '.', env: {}, ...(this.options.command && { command: this.options.command }) })).terminalId;
    this.terminalId = id;
    if (this.ended) {
      // Closed by the user while the PTY was being opened: it must not keep running in the sandbox.
      if (this.closing) this.closeRemote(id);
      return;
    }
    let retry: ReturnType<typeof setTimeout> | undefined;
    let retryMs = this.options.attachRetryMs ?? 500;
    const attachment = this.socket.keep('terminal.attach', { projectId: this.projectId, terminalId: id }, {
      onResult: (result) => this.reattached(result),
      onError: (error) => {
        if (!(ClientError.is(error) && error.kind === 'network')) {
          return this.lose(`the terminal could not be reattached: ${error instanceof Error ? error.message : String(error)}`);
        }
        // A drop: the next reconnection attaches again. An answer that came too late (a busy server)
        // leaves the socket open, so no reconnection comes: try again, backing off.
        if (this.socket.state.status !== 'open') return;
        clearTimeout(retry);
        retry = setTimeout(() => void attachment.again(), retryMs);
        retryMs = Math.min(retryMs * 2, 10_000);
      },
    });
    this.offs.push(
      this.socket.on('terminal.output', (e) => e.projectId === this.projectId && e.terminalId === id && this.show(e.data)),
      this.socket.on('terminal.exit', (e) => e.projectId === this.projectId && e.terminalId === id && this.end(e.exitCode ?? undefined)),
      this.socket.onState((state) => state.status !== 'open' && (this.attached = false)),
      attachment,
      () => clearTimeout(retry),
    );
    await attachment.latest;
  }

  input(data: string): void {
    if (this.ended) return;
    this.pendingInput += data;
    void this.pump();
  }

  resize(cols: number, rows: number): void {
    this.size = { cols, rows };
    if (this.attached && this.terminalId) {
      this.socket.request('terminal.resize', { projectId: this.projectId, terminalId: this.terminalId, cols, rows }).catch((e: unknown) => this.options.log?.(`resize: ${String(e)}`));
    }
  }

  /** Ends the PTY in the sandbox (the user closed the terminal). */
  close(): void {
    const terminalId = this.terminalId;
    this.closing = true;
    this.dispose();
    if (terminalId) this.closeRemote(terminalId);
  }

  private closeRemote(terminalId: string): void {
    if (this.socket.state.status === 'open') this.socket.request('terminal.close', { projectId: this.projectId, terminalId }).catch(() => undefined);
  }

  dispose(): void {
    this.ended = true;
    for (const off of this.offs.splice(0)) off();
  }

  /** Attached (again, after a reconnection): shows only the part of the scrollback not yet shown. */
  private reattached(result: WsResult<'terminal.attach'>): void {
    if (this.ended) return;
    const next = continuation(this.shown, result.scrollback);
    if (next.cleared) {
      this.screen.write(CLEAR_SCREEN);
      this.shown = '';
      this.show(result.scrollback);
    } else {
      this.show(next.write);
    }
    this.attached = true;
    if (!result.running) return this.end(result.exitCode ?? undefined);
    if (result.cols !== this.size.cols || result.rows !== this.size.rows) this.resize(this.size.cols, this.size.rows);
    void this.pump();
  }

  private async pump(): Promise<void> {
    if (this.sending || !this.attached || !this.terminalId || !this.pendingInput || this.socket.state.status !== 'open') return;
    this.sending = true;
    const data = this.pendingInput.slice(0, INPUT_CHUNK);
    this.pendingInput = this.pendingInput.slice(data.length);
    try {
      await this.socket.request('terminal.input', { projectId: this.projectId, terminalId: this.terminalId, data });
    } catch (error) {
      // At most once: the keys may have arrived even if the answer did not.
      this.options.log?.(`input: ${String(error)}`);
    } finally {
      this.sending = false;
    }
    void this.pump();
  }

  private show(data: string): void {
    if (!data) return;
    this.shown = appendTail(this.shown, data);
    this.screen.write(data);
  }

  private end(code: number | undefined): void {
    if (this.ended) return;
    this.dispose();
    this.screen.ended(code);
  }

  private lose(why: string): void {
    if (this.ended) return;
    this.dispose();
    this.screen.ended(undefined, why);
  }
}
