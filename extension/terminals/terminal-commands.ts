import * as vscode from 'vscode';
import type { Project } from '../../protocol/rest/projects';
import { registerCommand } from '../commands';
import type { ServerConnection } from '../connection/server-connection';
import type { Logger } from '../log';
import { SlipwayPty } from './slipway-pty';

export const TERMINAL_PROFILE_ID = 'slipway.sandboxTerminal';

interface Deps {
  connection: ServerConnection;
  log: Logger;
  /** The project a command is about (its tree item, the selected one, or one picked). */
  project(arg: unknown, title: string): Promise<Project>;
}

function options(deps: Deps, project: Project): vscode.ExtensionTerminalOptions {
  const socket = deps.connection.socket;
  if (!socket) throw new Error('Sign in to a Slipway server first (run "Slipway: Sign In").');
  return {
    name: `${project.name} (sandbox)`,
    iconPath: new vscode.ThemeIcon('vm'),
    pty: new SlipwayPty(socket, project.id, (e) => deps.connection.explain(e), deps.log),
  };
}

/** Opens a terminal in a project's sandbox and shows it. */
export async function openTerminal(deps: Deps, project: Project): Promise<vscode.Terminal> {
  const terminal = vscode.window.createTerminal(options(deps, project));
  terminal.show();
  return terminal;
}

/** "Slipway: Open Terminal" and the "Slipway Sandbox" terminal profile (the terminal's + menu). */
export function registerTerminals(deps: Deps): vscode.Disposable[] {
  const errors = { log: deps.log, explain: (e: unknown) => deps.connection.explain(e) };
  return [
    registerCommand('slipway.openTerminal', async (arg?: unknown) => openTerminal(deps, await deps.project(arg, 'Open a terminal in which project?')), errors),
    vscode.window.registerTerminalProfileProvider(TERMINAL_PROFILE_ID, {
      provideTerminalProfile: async () => new vscode.TerminalProfile(options(deps, await deps.project(undefined, 'Open a terminal in which project?'))),
    }),
  ];
}
