import type { z } from 'zod';
import type { AddTeamModelBody, ModelOption } from '../../../protocol/chat-models';
import type { SecretBox } from '../../crypto/secret-box';
import type { Sql } from '../../db/database';
import type { ProviderConfig } from '../providers/registry';
import { effectiveContext } from '../usage/context-windows';
import { knownPrice } from '../usage/pricing';
import { namedKeyContext } from './model-settings';
import { teamModel } from './team-model-store';
import { insertNamedModel, listNamedModels } from './team-models-store';

type Option = z.infer<typeof ModelOption>;

function option(id: string | null, name: string, kind: Option['kind'], model: string, contextTokens: number | null, configuredPrice: Option['price'], assumed: number): Option {
  const context = effectiveContext(model, contextTokens, assumed);
  const price = configuredPrice ?? knownPrice(model);
  return { id, name, kind, model, contextTokens: context.tokens, contextSource: context.source, price, priceSource: configuredPrice ? 'configured' : price ? 'known' : null };
}

/**
 * What a team's chats can choose: the default (the team's own model, else the server's) first,
 * then the team's named models, each with the context window the agent uses and its price.
 */
export async function modelOptions(sql: Sql, teamId: string, serverDefault: ProviderConfig | undefined, assumedContext: number): Promise<Option[]> {
  const [own, named] = await Promise.all([teamModel(sql, teamId), listNamedModels(sql, teamId)]);
  const out: Option[] = [];
  if (own) out.push(option(null, 'Team default', own.kind, own.model, own.contextTokens, null, assumedContext));
  else if (serverDefault) out.push(option(null, 'Server default', serverDefault.kind, serverDefault.model, null, null, assumedContext));
  for (const row of named) {
    const price = row.inputPrice !== null && row.outputPrice !== null ? { inputPerMTok: row.inputPrice, outputPerMTok: row.outputPrice } : null;
    out.push(option(row.id, row.name, row.kind, row.model, row.contextTokens, price, assumedContext));
  }
  return out;
}

/** Adds a named model, its key sealed to the team and the model. */
export async function addNamedModel(sql: Sql, secrets: SecretBox, teamId: string, userId: string, body: AddTeamModelBody): Promise<string> {
  return insertNamedModel(sql, teamId, userId, {
    name: body.name, kind: body.kind, model: body.model, baseUrl: body.baseUrl, contextTokens: body.contextTokens, supportsImages: body.supportsImages,
    inputPrice: body.price?.inputPerMTok ?? null, outputPrice: body.price?.outputPerMTok ?? null,
  }, (id) => (body.apiKey ? secrets.seal(body.apiKey, namedKeyContext(teamId, id)) : null));
}
