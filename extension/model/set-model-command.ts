import * as vscode from 'vscode';
import { registerCommand, required, withProgress } from '../commands';
import type { ServerConnection } from '../connection/server-connection';
import type { Logger } from '../log';
import { pickTeam } from '../projects/pick';
import type { ProjectsModel } from '../projects/projects-model';
import type { ProjectSelection } from '../projects/selection';
import { apiKeyProblem, baseUrlProblem, canKeepKey, choiceOf, modelBody, PROVIDER_CHOICES } from './model-form';
import type { TeamModelStatus } from './team-model';

interface Deps { connection: ServerConnection; model: ProjectsModel; selection: ProjectSelection; status: TeamModelStatus; log: Logger }

/**
 * "Slipway: Set Team Model": provider, model name, base URL (OpenAI-compatible) and API key for the
 * team of the selected project. Only admins may; the server's refusal is shown as it words it.
 */
export function registerSetModelCommand(deps: Deps): vscode.Disposable {
  const { connection, model, selection, status } = deps;
  return registerCommand('slipway.setTeamModel', async () => {
    const selected = selection.projectId ? model.find(selection.projectId) : undefined;
    const team = model.teams.find((t) => t.id === selected?.teamId) ?? (await pickTeam(model));
    const current = await withProgress(`Loading the model of ${team.name}…`, () => connection.rest()('agent.model.get', { params: { teamId: team.id } }));
    const title = `Model of team ${team.name}`;
    const provider = required(await vscode.window.showQuickPick(
      PROVIDER_CHOICES.map((p) => ({ ...p, description: p.choice === choiceOf(current) ? 'current' : '' })),
      { title, placeHolder: 'Which provider?' },
    )).choice;
    const baseUrl = provider === 'compatible'
      ? required(await vscode.window.showInputBox({ title, prompt: 'Base URL of the OpenAI-compatible API', value: current.baseUrl ?? 'http://localhost:11434/v1', validateInput: baseUrlProblem, ignoreFocusOut: true })).trim()
      : null;
    const name = required(await vscode.window.showInputBox({
      title, prompt: 'Model name', value: current.model ?? '', placeHolder: provider === 'anthropic' ? 'claude-sonnet-4-5' : 'gpt-4.1',
      validateInput: (v) => (v.trim() ? undefined : 'A model name'), ignoreFocusOut: true,
    }));
    const keep = canKeepKey(current, provider, baseUrl);
    const apiKey = required(await vscode.window.showInputBox({
      title, prompt: keep ? 'API key (leave empty to keep the stored key)' : provider === 'compatible' ? 'API key (leave empty if the endpoint needs none)' : 'API key',
      password: true, ignoreFocusOut: true, validateInput: (v) => apiKeyProblem(v, keep, provider),
    }));
    // OpenAI's and Anthropic's own models take images; an OpenAI-compatible endpoint's may not.
    const supportsImages = provider === 'compatible'
      ? required(await vscode.window.showQuickPick(
        [{ label: 'Text only', value: false, description: 'pasted images are not sent; the chat says so' }, { label: 'Accepts images', value: true, description: 'e.g. a vision model' }],
        { title, placeHolder: 'Does this model accept images?' },
      )).value
      : null;
    const body = modelBody({ choice: provider, model: name, baseUrl, apiKey, supportsImages }, current);
    const saved = await withProgress(`Saving the model of ${team.name}…`, () => connection.rest()('agent.model.put', { params: { teamId: team.id }, body }));
    if (status.teamId === team.id) status.show(saved);
    void vscode.window.showInformationMessage(`Team ${team.name} now uses ${saved.model ?? body.model}.`);
  }, { log: deps.log, explain: (e) => connection.explain(e) });
}
