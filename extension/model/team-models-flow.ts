import type { ModelOption } from '../../protocol/chat-models';
import type { RestClient } from '../../protocol/client/rest-client';
import type { Role } from '../../protocol/common';
import { apiKeyProblem, PROVIDER_CHOICES, type ProviderChoice } from './model-form';
import {
  addModelBody, baseUrlProblem, canManageModels, contextProblem, modelNameProblem, modelOptionItem, nameProblem, priceProblem, type ModelEntry,
} from './team-model-entry';

/** What the flows ask the user through (VS Code's quick picks and input boxes; scripted in tests). */
export interface Prompts {
  pick<T>(placeHolder: string, items: { label: string; description?: string; detail?: string; value: T }[]): Promise<T | undefined>;
  input(options: { prompt: string; value?: string; placeHolder?: string; password?: boolean; validate: (value: string) => string | undefined }): Promise<string | undefined>;
  confirm(message: string, action: string): Promise<boolean>;
}

export interface TeamRef { id: string; name: string; role: Role }

const notAdmin = (team: TeamRef, what: string) =>
  new Error(`Only the owner and admins of ${team.name} can ${what} its models; you are a ${team.role}. "Slipway: Show Team Models" lists them.`);

/** Asks for a named model: provider, base URL (OpenAI-compatible), model, name, key, context, prices, images. Undefined: cancelled. */
export async function askModelEntry(prompts: Prompts): Promise<ModelEntry | undefined> {
  const choice = await prompts.pick<ProviderChoice>('Which provider?', PROVIDER_CHOICES.map((p) => ({ label: p.label, detail: p.detail, value: p.choice })));
  if (!choice) return undefined;
  const baseUrl = choice === 'compatible'
    ? await prompts.input({ prompt: 'Base URL of the OpenAI-compatible API', value: 'http://localhost:11434/v1', validate: baseUrlProblem })
    : null;
  if (baseUrl === undefined) return undefined;
  const model = await prompts.input({ prompt: 'Model name', placeHolder: choice === 'anthropic' ? 'claude-sonnet-4-5' : 'gpt-4.1', validate: modelNameProblem });
  if (model === undefined) return undefined;
  const name = await prompts.input({ prompt: 'Name shown in the chat\'s model picker', value: model.trim(), validate: nameProblem });
  if (name === undefined) return undefined;
  const apiKey = await prompts.input({
    prompt: choice === 'compatible' ? 'API key (leave empty if the endpoint needs none)' : 'API key (stored encrypted; never shown again)',
    password: true, validate: (v) => apiKeyProblem(v, false, choice),
  });
  if (apiKey === undefined) return undefined;
  const context = await prompts.input({ prompt: 'Context window in tokens (empty: known for the model, or the server\'s assumption)', placeHolder: '200000', validate: contextProblem });
  if (context === undefined) return undefined;
  const price = await prompts.input({ prompt: 'Price in US$ per million tokens, "input / output" (empty: known for the model, or none)', placeHolder: '3 / 15', validate: priceProblem });
  if (price === undefined) return undefined;
  // OpenAI's and Anthropic's own models take images; an OpenAI-compatible endpoint's may not.
  const supportsImages = choice === 'compatible'
    ? await prompts.pick('Does this model accept images?', [
      { label: 'Text only', description: 'pasted images are not sent; the chat says so', value: false },
      { label: 'Accepts images', description: 'e.g. a vision model', value: true },
    ])
    : null;
  if (supportsImages === undefined) return undefined;
  return { choice, baseUrl, model, name, apiKey, context, price, supportsImages };
}

/** "Add Team Model": admins only (the server checks again); the added model as the server lists it. */
export async function addTeamModel(rest: RestClient, prompts: Prompts, team: TeamRef): Promise<ModelOption | undefined> {
  if (!canManageModels(team.role)) throw notAdmin(team, 'add');
  const entry = await askModelEntry(prompts);
  if (!entry) return undefined;
  return rest('agent.models.add', { params: { teamId: team.id }, body: addModelBody(entry) });
}

/** "Remove Team Model": pick one of the named models (the team default is set with "Set Team Model"), confirm. */
export async function removeTeamModel(rest: RestClient, prompts: Prompts, team: TeamRef): Promise<ModelOption | undefined> {
  if (!canManageModels(team.role)) throw notAdmin(team, 'remove');
  const { items } = await rest('agent.models.list', { params: { teamId: team.id } });
  const named = items.filter((o) => o.id !== null);
  if (!named.length) throw new Error(`${team.name} has no named models to remove (its default model is changed with "Slipway: Set Team Model").`);
  const option = await prompts.pick('Remove which model?', named.map((o) => ({ ...modelOptionItem(o), value: o })));
  if (!option?.id) return undefined;
  if (!(await prompts.confirm(`Remove "${option.name}" from ${team.name}? Chats that chose it will ask for another model.`, 'Remove'))) return undefined;
  await rest('agent.models.delete', { params: { teamId: team.id, modelId: option.id } });
  return option;
}

/** "Show Team Models": any member sees the list (default first) with context window and price. */
export async function showTeamModels(rest: RestClient, prompts: Prompts, team: TeamRef): Promise<void> {
  const { items } = await rest('agent.models.list', { params: { teamId: team.id } });
  const manage = canManageModels(team.role) ? 'Add or remove with "Slipway: Add/Remove Team Model"' : 'Only the team\'s admins add or remove models';
  await prompts.pick(`Models of ${team.name} · ${manage}`, items.map((o) => ({ ...modelOptionItem(o), value: o })));
}
