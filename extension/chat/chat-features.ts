import type * as vscode from 'vscode';
import { registerCommand } from '../commands';
import { registerRestoreCommand } from '../checkpoints/restore-command';
import type { ServerConnection } from '../connection/server-connection';
import type { Logger } from '../log';
import { registerSetModelCommand } from '../model/set-model-command';
import { TeamModelStatus } from '../model/team-model';
import { registerTeamModelsCommands } from '../model/team-models-commands';
import type { ProjectsModel } from '../projects/projects-model';
import type { ProjectSelection } from '../projects/selection';
import { ChatViewProvider } from './chat-view';
import { registerEditorActions } from './editor-actions';

interface Deps { connection: ServerConnection; model: ProjectsModel; selection: ProjectSelection; log: Logger }

/** The agent in VS Code: the chat view, the team's model (shown and set), and checkpoints. */
export function registerChatFeatures(extensionUri: vscode.Uri, deps: Deps): vscode.Disposable[] {
  const teamModel = new TeamModelStatus(deps.connection);
  const view = new ChatViewProvider(extensionUri, { ...deps, teamModel });
  const errors = { log: deps.log, explain: (e: unknown) => deps.connection.explain(e) };
  return [
    teamModel,
    view,
    registerSetModelCommand({ ...deps, status: teamModel }),
    ...registerTeamModelsCommands({ ...deps, status: teamModel }),
    registerCommand('slipway.newChat', () => view.newChat(), errors),
    registerCommand('slipway.showChats', () => view.pickChat(), errors),
    ...registerRestoreCommand({ ...deps, openChatId: () => view.openChatId }),
    ...registerEditorActions({ view, selectedProject: () => deps.selection.projectId, ...errors }),
  ];
}
