import * as vscode from 'vscode';
import { registerCommand } from '../commands';
import type { ServerConnection } from '../connection/server-connection';
import type { Logger } from '../log';
import { pickTeam } from '../projects/pick';
import type { ProjectsModel } from '../projects/projects-model';
import type { ProjectSelection } from '../projects/selection';
import type { TeamModelStatus } from './team-model';
import { addTeamModel, removeTeamModel, showTeamModels, type Prompts } from './team-models-flow';

interface Deps { connection: ServerConnection; model: ProjectsModel; selection: ProjectSelection; status: TeamModelStatus; log: Logger }

/** Quick picks and input boxes under one title; Escape anywhere cancels. */
function vscodePrompts(title: string): Prompts {
  return {
    pick: async (placeHolder, items) => (await vscode.window.showQuickPick(items, { title, placeHolder, ignoreFocusOut: true }))?.value,
    input: ({ validate, ...options }) => Promise.resolve(vscode.window.showInputBox({ title, ...options, validateInput: validate, ignoreFocusOut: true })),
    confirm: async (message, action) => (await vscode.window.showWarningMessage(message, { modal: true }, action)) === action,
  };
}

/** "Slipway: Add / Remove / Show Team Models": the named models a team's chats can choose. */
export function registerTeamModelsCommands(deps: Deps): vscode.Disposable[] {
  const { connection, model, selection, status } = deps;
  const errors = { log: deps.log, explain: (e: unknown) => connection.explain(e) };
  const team = async (arg: unknown, question: string) => {
    const selected = selection.projectId ? model.find(selection.projectId) : undefined;
    return model.teams.find((t) => t.id === selected?.teamId) ?? (await pickTeam(model, arg, question));
  };
  // The chat's model picker lists the team's models again.
  const refresh = (teamId: string) => (status.teamId === teamId ? status.follow(teamId, true) : undefined);
  return [
    registerCommand('slipway.addTeamModel', async (arg?: unknown) => {
      const t = await team(arg, 'Add a model to which team?');
      const added = await addTeamModel(connection.rest(), vscodePrompts(`Add a model to ${t.name}`), t);
      if (!added) return;
      await refresh(t.id);
      void vscode.window.showInformationMessage(`${t.name} now offers ${added.name} (${added.model}); choose it in the chat's model picker.`);
    }, errors),
    registerCommand('slipway.removeTeamModel', async (arg?: unknown) => {
      const t = await team(arg, 'Remove a model of which team?');
      const removed = await removeTeamModel(connection.rest(), vscodePrompts(`Remove a model of ${t.name}`), t);
      if (!removed) return;
      await refresh(t.id);
      void vscode.window.showInformationMessage(`${removed.name} was removed from ${t.name}.`);
    }, errors),
    registerCommand('slipway.showTeamModels', async (arg?: unknown) => {
      const t = await team(arg, 'Show the models of which team?');
      await showTeamModels(connection.rest(), vscodePrompts(`Models of ${t.name}`), t);
    }, errors),
  ];
}
