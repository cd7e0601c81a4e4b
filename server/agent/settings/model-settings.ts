import type { z } from 'zod';
import type { ModelSettings, PutModelSettingsBody } from '../../../protocol/chat';
import type { SecretBox } from '../../crypto/secret-box';
import type { Sql } from '../../db/database';
import type { ProviderConfig } from '../providers/registry';
import { acceptsImages } from '../context/image-support';
import type { ModelPrice } from '../../../protocol/chat-models';
import { AppError } from '../../errors';
import { deleteTeamModel, teamModel, upsertTeamModel } from './team-model-store';
import { namedModel } from './team-models-store';


/** Associated data binding a sealed key to its team (and, for a named model, to that model). */
const keyContext = (teamId: string) => `model-key:${teamId}`;
export const namedKeyContext = (teamId: string, modelId: string) => `model-key:${teamId}:${modelId}`;

export interface ResolvedModel {
  source: 'team' | 'server';
  config: ProviderConfig;
  contextTokens: number | null;
  /** Whether the model is sent images (else they are left out with a notice in the chat). */
  supportsImages: boolean;
  /** The team's configured price, when it set one. */
  price?: ModelPrice | null;
}

export const MODEL_REMOVED_MESSAGE = 'The model chosen for this chat is no longer one of the team\'s models (an admin removed it). Choose another with /model or the model picker.';

/**
 * The model a chat's turn uses: the chat's chosen team model (`modelId`; a removed one is a clear
 * error, never a silent switch), else the team's own default, else the server-wide default, else nothing.
 */
export async function resolveModel(sql: Sql, secrets: SecretBox, teamId: string, serverDefault: ProviderConfig | undefined, modelId: string | null = null): Promise<ResolvedModel | undefined> {
  if (modelId) {
    const named = await namedModel(sql, teamId, modelId);
    if (!named) throw new AppError('bad_request', MODEL_REMOVED_MESSAGE, { reason: 'model_removed' });
    const apiKey = named.apiKey ? secrets.open(named.apiKey, namedKeyContext(teamId, modelId)) : '';
    const price = named.inputPrice !== null && named.outputPrice !== null ? { inputPerMTok: named.inputPrice, outputPerMTok: named.outputPrice } : null;
    const config = { kind: named.kind, model: named.model, apiKey, ...(named.baseUrl && { baseUrl: named.baseUrl }) };
    return { source: 'team', contextTokens: named.contextTokens, price, config, supportsImages: acceptsImages(config, named.supportsImages) };
  }
  const row = await teamModel(sql, teamId);
  if (row) {
    const apiKey = row.apiKey ? secrets.open(row.apiKey, keyContext(teamId)) : '';
    const config = { kind: row.kind, model: row.model, apiKey, ...(row.baseUrl && { baseUrl: row.baseUrl }) };
    return { source: 'team', contextTokens: row.contextTokens, config, supportsImages: acceptsImages(config, row.supportsImages) };
  }
  return serverDefault && { source: 'server', config: serverDefault, contextTokens: null, supportsImages: acceptsImages(serverDefault, serverDefault.supportsImages) };
}

/** What a client may see: never the key; the server default's URL (an internal address, often) only by server admins. */
export async function describeModel(sql: Sql, teamId: string, serverDefault: ProviderConfig | undefined, viewer: { isAdmin: boolean }): Promise<z.infer<typeof ModelSettings>> {
  const row = await teamModel(sql, teamId);
  if (row) return { source: 'team', kind: row.kind, model: row.model, baseUrl: row.baseUrl, hasApiKey: row.apiKey !== null, contextTokens: row.contextTokens, supportsImages: acceptsImages({ kind: row.kind, baseUrl: row.baseUrl ?? undefined }, row.supportsImages) };
  if (serverDefault) {
    return { source: 'server', kind: serverDefault.kind, model: serverDefault.model, baseUrl: viewer.isAdmin ? serverDefault.baseUrl ?? null : null, hasApiKey: serverDefault.apiKey !== '', contextTokens: null, supportsImages: acceptsImages(serverDefault, serverDefault.supportsImages) };
  }
  return { source: 'none', kind: null, model: null, baseUrl: null, hasApiKey: false, contextTokens: null, supportsImages: false };
}

export async function saveModel(sql: Sql, secrets: SecretBox, teamId: string, userId: string, body: z.infer<typeof PutModelSettingsBody>): Promise<void> {
  const sealed = body.apiKey === undefined ? undefined : body.apiKey === '' ? null : secrets.seal(body.apiKey, keyContext(teamId));
  await upsertTeamModel(sql, teamId, userId, { kind: body.kind, model: body.model, baseUrl: body.baseUrl, apiKey: sealed, contextTokens: body.contextTokens, supportsImages: body.supportsImages });
}

export async function clearModel(sql: Sql, teamId: string): Promise<void> {
  await deleteTeamModel(sql, teamId);
}

/** The chat's answer when no model is configured anywhere. */
export const NO_MODEL_MESSAGE =
  'No AI model is configured, so the agent cannot answer yet. A team admin can set one with ' +
  'PUT /api/teams/<teamId>/model {"kind":"openai"|"anthropic","model":"…","apiKey":"…","baseUrl":"…"} ' +
  '(baseUrl for OpenAI-compatible servers such as Ollama, vLLM or LiteLLM), or the server operator can set ' +
  'SLIPWAY_MODEL_PROVIDER, SLIPWAY_MODEL, SLIPWAY_MODEL_API_KEY (or OPENAI_API_KEY / ANTHROPIC_API_KEY) and ' +
  'SLIPWAY_MODEL_BASE_URL, and restart the server.';
