import * as vscode from 'vscode';
import type { Project } from '../../protocol/rest/projects';
import { registerCommand } from '../commands';
import type { ServerConnection } from '../connection/server-connection';
import { whenOpen } from '../connection/when-open';
import type { Logger } from '../log';
import { SlipwayPty } from './slipway-pty';
import { TerminalMemory, type RememberedTerminal } from './terminal-memory';

export const TERMINAL_PROFILE_ID = 'slipway.sandboxTerminal';

interface Deps {
  connection: ServerConnection;
  log: Logger;
  workspaceState: vscode.Memento;
  /** The project a command is about (its tree item, the selected one, or one picked). */
  project(arg: unknown, title: string): Promise<Project>;
}

/**
 * Sandbox terminals: "Slipway: Open Terminal", the "Slipway Sandbox" profile, and their life across
 * window reloads. A terminal's PTY ends only when the user (or an extension) closes the terminal;
 * on a reload it keeps running in the sandbox, and the next window re-attaches to it, scrollback and
 * all. The sandbox hangs up a PTY nobody attaches to for a while (the daemon's setting).
 */
export class SandboxTerminals implements vscode.Disposable {
  private readonly memory: TerminalMemory;
  /** PTYs joined by this window (`projectId/terminalId`), so a restore never shows one twice. */
  private readonly joined = new Set<string>();
  private readonly disposables: vscode.Disposable[] = [];
  private restoring: Promise<void> | undefined;
  /** Until then, a local shell VS Code opens in the restored terminal panel is a stand-in (see `dropStandIns`). */
  private standInsUntil = 0;
  /** The first restore is done: from now on local terminals are counted for the next window. */
  private settled = false;

  constructor(private readonly deps: Deps) {
    this.memory = new TerminalMemory(deps.workspaceState);
    this.disposables.push(
      vscode.window.onDidCloseTerminal((terminal) => {
        this.closed(terminal);
        if (this.settled) void this.memory.countLocal(localTerminals().length);
      }),
      vscode.window.onDidOpenTerminal((terminal) => {
        if (ptyOf(terminal)) return;
        if (Date.now() < this.standInsUntil) setTimeout(() => this.dropStandIns(), 500);
        else if (this.settled) void this.memory.countLocal(localTerminals().length);
      }),
      deps.connection.onDidChange(() => void this.restore()),
    );
    void this.restore();
  }

  /** Opens a new terminal in a project's sandbox (a shell, or `command`) and shows it. */
  open(project: Project, run: { command?: string[]; name?: string } = {}): vscode.Terminal {
    const terminal = vscode.window.createTerminal(this.options(project.id, run.name ?? `${project.name} (sandbox)`, undefined, run.command));
    terminal.show();
    return terminal;
  }

  /** The options of a terminal for the profile provider (the terminal's + menu). */
  profile(project: Project): vscode.TerminalProfile {
    return new vscode.TerminalProfile(this.options(project.id, `${project.name} (sandbox)`));
  }

  private options(projectId: string, name: string, terminalId?: string, command?: string[]): vscode.ExtensionTerminalOptions {
    const socket = this.deps.connection.socket;
    if (!socket) throw new Error('Sign in to a Slipway server first (run "Slipway: Sign In").');
    const pty: SlipwayPty = new SlipwayPty(socket, projectId, (e) => this.deps.connection.explain(e), this.deps.log, {
      ...(terminalId ? { terminalId } : {}),
      ...(command && { command }),
      attached: (id) => void this.memory.remember({ projectId, terminalId: id, name }),
      ended: (id) => id && void this.memory.forget({ projectId, terminalId: id }),
    });
    if (terminalId) this.joined.add(`${projectId}/${terminalId}`);
    return { name, iconPath: new vscode.ThemeIcon('vm'), pty };
  }

  /** The user closed a terminal: its PTY ends. A shutdown (reload) leaves it running. */
  private closed(terminal: vscode.Terminal): void {
    const pty = ptyOf(terminal);
    if (!pty) return;
    const reason = terminal.exitStatus?.reason;
    if (reason === vscode.TerminalExitReason.User || reason === vscode.TerminalExitReason.Extension) {
      const id = pty.session.id;
      pty.session.close();
      if (id) {
        this.joined.delete(`${pty.projectId}/${id}`);
        void this.memory.forget({ projectId: pty.projectId, terminalId: id });
      }
    }
  }

  /** After a reload (or a sign-in): re-attach the terminals this window had, whose PTYs still run. */
  restore(): Promise<void> {
    this.restoring ??= this.restoreNow().finally(() => {
      this.restoring = undefined;
      if (this.deps.connection.socket) this.settled = true;
    });
    return this.restoring;
  }

  private async restoreNow(): Promise<void> {
    const socket = this.deps.connection.socket;
    const pending = this.memory.list().filter((t) => !this.isShown(t));
    if (!socket || !pending.length) return;
    // The previous window had sandbox terminals and no local ones: a local shell that shows up
    // untouched now is VS Code filling the restored terminal panel, not something the user opened.
    const standIns = this.memory.localCount() === 0;
    await whenOpen(socket);
    const byProject = new Map<string, RememberedTerminal[]>();
    for (const t of pending) byProject.set(t.projectId, [...(byProject.get(t.projectId) ?? []), t]);
    for (const [projectId, remembered] of byProject) {
      let running: Set<string>;
      try {
        running = new Set((await socket.request('terminal.list', { projectId })).terminals.filter((t) => t.running).map((t) => t.terminalId));
      } catch (error) {
        this.deps.log.warn(`terminals of ${projectId} could not be restored: ${this.deps.connection.explain(error)}`);
        continue;
      }
      for (const t of remembered) {
        if (this.isShown(t)) continue;
        if (!running.has(t.terminalId)) {
          await this.memory.forget(t);
          continue;
        }
        vscode.window.createTerminal(this.options(t.projectId, t.name, t.terminalId)).show(true);
        this.deps.log.info(`re-attached terminal ${t.terminalId} of ${projectId}`);
        if (standIns) this.standInsUntil = Date.now() + 15_000;
      }
    }
    this.deps.log.info(`restored sandbox terminals; the previous window had ${this.memory.localCount()} local terminal(s)`);
    if (Date.now() < this.standInsUntil) {
      this.dropStandIns();
      // VS Code may fill the terminal panel a moment later.
      for (const ms of [1000, 3000, 8000]) setTimeout(() => this.dropStandIns(), ms);
    }
  }

  /** Closes local shells VS Code opened in place of the restored sandbox terminals (never one the user typed in). */
  private dropStandIns(): void {
    for (const terminal of localTerminals()) {
      if (terminal.state.isInteractedWith) {
        this.deps.log.info(`kept the local terminal "${terminal.name}": it was used`);
        continue;
      }
      this.deps.log.info(`closed "${terminal.name}", a local shell VS Code opened in place of the restored sandbox terminals`);
      terminal.dispose();
    }
  }

  private isShown(t: RememberedTerminal): boolean {
    return this.joined.has(`${t.projectId}/${t.terminalId}`) || vscode.window.terminals.some((terminal) => {
      const pty = ptyOf(terminal);
      return pty?.projectId === t.projectId && pty.session.id === t.terminalId;
    });
  }

  dispose(): void {
    for (const d of this.disposables) d.dispose();
  }
}

const localTerminals = (): vscode.Terminal[] => vscode.window.terminals.filter((terminal) => !ptyOf(terminal));

export function ptyOf(terminal: vscode.Terminal): SlipwayPty | undefined {
  const pty: unknown = (terminal.creationOptions as Partial<vscode.ExtensionTerminalOptions>).pty;
  return pty instanceof SlipwayPty ? pty : undefined;
}

/** "Slipway: Open Terminal" and the "Slipway Sandbox" terminal profile (the terminal's + menu). */
export function registerTerminals(deps: Deps): vscode.Disposable[] {
  const errors = { log: deps.log, explain: (e: unknown) => deps.connection.explain(e) };
  const terminals = new SandboxTerminals(deps);
  return [
    terminals,
    registerCommand('slipway.openTerminal', async (arg?: unknown) => terminals.open(await deps.project(arg, 'Open a terminal in which project?')), errors),
    // psql finds the project's database through the sandbox's PG* variables.
    registerCommand('slipway.openPsql', async (arg?: unknown) => {
      const project = await deps.project(arg, 'Open psql in which project\'s sandbox?');
      if (!project.database) throw new Error(`"${project.name}" has no database: add one with "Slipway: Add Database".`);
      return terminals.open(project, { command: ['psql'], name: `${project.name} (psql)` });
    }, errors),
    vscode.window.registerTerminalProfileProvider(TERMINAL_PROFILE_ID, {
      provideTerminalProfile: async () => terminals.profile(await deps.project(undefined, 'Open a terminal in which project?')),
    }),
  ];
}
