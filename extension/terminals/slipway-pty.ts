import * as vscode from 'vscode';
import type { Logger } from '../log';
import { TerminalSession, type TermSocket } from './terminal-session';

/** A VS Code terminal whose process is a PTY in the project's sandbox. */
export class SlipwayPty implements vscode.Pseudoterminal {
  private readonly writer = new vscode.EventEmitter<string>();
  private readonly closer = new vscode.EventEmitter<number | void>();
  readonly onDidWrite = this.writer.event;
  readonly onDidClose = this.closer.event;
  private readonly session: TerminalSession;

  constructor(socket: TermSocket, projectId: string, private readonly explain: (error: unknown) => string, log: Logger) {
    this.session = new TerminalSession(socket, projectId, {
      write: (data) => this.writer.fire(data),
      ended: (code, lost) => {
        if (lost) this.writer.fire(`\r\n\x1b[31m[Slipway] ${lost}\x1b[0m\r\n`);
        else this.closer.fire(code ?? 0);
      },
    }, { log: (m) => log.warn(`terminal in ${projectId}: ${m}`) });
  }

  open(dimensions: vscode.TerminalDimensions | undefined): void {
    this.session.open(dimensions?.columns ?? 80, dimensions?.rows ?? 24).catch((error: unknown) => {
      this.session.dispose();
      this.writer.fire(`\x1b[31m[Slipway] Could not open a terminal in the sandbox: ${this.explain(error)}\x1b[0m\r\n`);
    });
  }

  handleInput(data: string): void {
    this.session.input(data);
  }

  setDimensions(dimensions: vscode.TerminalDimensions): void {
    this.session.resize(dimensions.columns, dimensions.rows);
  }

  close(): void {
    this.session.close();
    this.writer.dispose();
    this.closer.dispose();
  }
}
