import type { Sql } from '../../db/database';

export interface TeamModelRow {
  kind: 'openai' | 'anthropic';
  model: string;
  baseUrl: string | null;
  /** Sealed; decrypted only to call the provider. */
  apiKey: Buffer | null;
  contextTokens: number | null;
  /** Null: the default for the provider and endpoint (context/image-support.ts). */
  supportsImages: boolean | null;
}

export async function teamModel(sql: Sql, teamId: string): Promise<TeamModelRow | undefined> {
  const [row] = await sql<TeamModelRow[]>`SELECT kind, model, base_url, api_key, context_tokens, supports_images FROM team_model_settings WHERE team_id = ${teamId}`;
  return row;
}

/** Saves the team's model; `apiKey` undefined keeps the stored key, null removes it. */
export async function upsertTeamModel(sql: Sql, teamId: string, userId: string, input: Omit<TeamModelRow, 'apiKey'> & { apiKey: Buffer | null | undefined }): Promise<void> {
  await sql`
    INSERT INTO team_model_settings (team_id, kind, model, base_url, api_key, context_tokens, supports_images, updated_by)
    VALUES (${teamId}, ${input.kind}, ${input.model}, ${input.baseUrl}, ${input.apiKey ?? null}, ${input.contextTokens}, ${input.supportsImages}, ${userId})
    ON CONFLICT (team_id) DO UPDATE SET kind = excluded.kind, model = excluded.model, base_url = excluded.base_url,
      api_key = ${input.apiKey === undefined ? sql`team_model_settings.api_key` : sql`excluded.api_key`},
      context_tokens = excluded.context_tokens, supports_images = excluded.supports_images, updated_by = excluded.updated_by, updated_at = now()`;
}

export async function deleteTeamModel(sql: Sql, teamId: string): Promise<void> {
  await sql`DELETE FROM team_model_settings WHERE team_id = ${teamId}`;
}
