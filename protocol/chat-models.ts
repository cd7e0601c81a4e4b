import { z } from 'zod';
import { Uuid } from './common';
import { PutModelSettingsBody, ProviderKindName } from './chat';

/**
 * The models a team's chats can choose from: the team's default (its model settings, or the
 * server's) and any number of named models the team's admins add. Each chat stores its choice.
 */

/** US dollars per million tokens. */
export const ModelPrice = z.object({ inputPerMTok: z.number().min(0).max(10_000), outputPerMTok: z.number().min(0).max(10_000) });
export type ModelPrice = z.infer<typeof ModelPrice>;

export const ModelOption = z.object({
  /** null: the team's default model. */
  id: Uuid.nullable(),
  name: z.string(),
  kind: ProviderKindName,
  model: z.string(),
  /** The context window: as configured, else known for the model, else the server's assumption. */
  contextTokens: z.number().int().positive(),
  contextSource: z.enum(['configured', 'known', 'assumed']),
  /** Null when neither configured nor known (a local model, say). */
  price: ModelPrice.nullable(),
  priceSource: z.enum(['configured', 'known']).nullable(),
});
export type ModelOption = z.infer<typeof ModelOption>;

/** A named model for the team's chats to choose (admins). `apiKey` omitted or '' means none. */
export const AddTeamModelBody = PutModelSettingsBody.extend({
  name: z.string().trim().min(1).max(80),
  price: ModelPrice.nullable().default(null),
});
export type AddTeamModelBody = z.infer<typeof AddTeamModelBody>;

export const TeamModelParams = z.object({ teamId: Uuid, modelId: Uuid });
