import * as vscode from 'vscode';
import type { Logger } from '../log';
import { TerminalSession, type TermSocket } from './terminal-session';

export interface SlipwayPtyOptions {
  /** Join this PTY (one that already runs in the sandbox: a terminal restored after a reload). */
  terminalId?: string;
  /** Run this instead of a login shell (a new PTY only), e.g. `['psql']`. */
  command?: string[];
  /** The PTY is known (opened or joined). */
  attached?(terminalId: string): void;
  /** The PTY ended or is lost for good: nothing to restore any more. */
  ended?(terminalId: string | undefined): void;
}

/**
 * A VS Code terminal whose process is a PTY in the project's sandbox. Closing the VS Code side only
 * detaches: whoever owns the terminal decides whether the PTY ends (the user closed it) or keeps
 * running for the next window (a reload).
 */
export class SlipwayPty implements vscode.Pseudoterminal {
  private readonly writer = new vscode.EventEmitter<string>();
  private readonly closer = new vscode.EventEmitter<number | void>();
  readonly onDidWrite = this.writer.event;
  readonly onDidClose = this.closer.event;
  readonly session: TerminalSession;

  constructor(socket: TermSocket, readonly projectId: string, private readonly explain: (error: unknown) => string, log: Logger, private readonly options: SlipwayPtyOptions = {}) {
    this.session = new TerminalSession(socket, projectId, {
      write: (data) => this.writer.fire(data),
      ended: (code, lost) => {
        this.options.ended?.(this.session.id);
        if (lost) this.writer.fire(`\r\n\x1b[31m[Slipway] ${lost}\x1b[0m\r\n`);
        else this.closer.fire(code ?? 0);
      },
    }, { log: (m) => log.warn(`terminal in ${projectId}: ${m}`), ...(options.command && { command: options.command }) });
  }

  open(dimensions: vscode.TerminalDimensions | undefined): void {
    this.session.open(dimensions?.columns ?? 80, dimensions?.rows ?? 24, this.options.terminalId).then(() => {
      if (this.session.id) this.options.attached?.(this.session.id);
    }, (error: unknown) => {
      this.session.dispose();
      this.options.ended?.(this.options.terminalId);
      this.writer.fire(`\x1b[31m[Slipway] Could not ${this.options.terminalId ? 'reattach the terminal in' : 'open a terminal in'} the sandbox: ${this.explain(error)}\x1b[0m\r\n`);
    });
  }

  handleInput(data: string): void {
    this.session.input(data);
  }

  setDimensions(dimensions: vscode.TerminalDimensions): void {
    this.session.resize(dimensions.columns, dimensions.rows);
  }

  /** The VS Code side is gone: stop following the PTY (it keeps running in the sandbox). */
  close(): void {
    this.session.dispose();
    this.writer.dispose();
    this.closer.dispose();
  }
}
