import type { Sql } from '../../db/database';
import { conflict } from '../../errors';
import type { TeamModelRow } from './team-model-store';

/** A named model of a team (besides its default), as stored: the default's fields plus a name and prices. */
export interface NamedModelRow extends TeamModelRow {
  id: string;
  name: string;
  inputPrice: number | null;
  outputPrice: number | null;
}

const COLUMNS = 'id, name, kind, model, base_url, api_key, context_tokens, supports_images, input_price, output_price';

export async function listNamedModels(sql: Sql, teamId: string): Promise<NamedModelRow[]> {
  return sql<NamedModelRow[]>`SELECT ${sql.unsafe(COLUMNS)} FROM team_models WHERE team_id = ${teamId} ORDER BY name`;
}

/** The team's model with this id; undefined for another team's or a removed one. */
export async function namedModel(sql: Sql, teamId: string, id: string): Promise<NamedModelRow | undefined> {
  const [row] = await sql<NamedModelRow[]>`SELECT ${sql.unsafe(COLUMNS)} FROM team_models WHERE team_id = ${teamId} AND id = ${id}`;
  return row;
}

/** Adds a model; `sealKey` seals the API key bound to the new row's id. A taken name is a 409. */
export async function insertNamedModel(sql: Sql, teamId: string, userId: string, input: Omit<NamedModelRow, 'id' | 'apiKey'>, sealKey: (id: string) => Buffer | null): Promise<string> {
  return sql.begin(async (tx) => {
    const [taken] = await tx`SELECT 1 FROM team_models WHERE team_id = ${teamId} AND name = ${input.name}`;
    if (taken) throw conflict(`the team already has a model named "${input.name}"`);
    const [row] = await tx<{ id: string }[]>`
      INSERT INTO team_models (team_id, name, kind, model, base_url, context_tokens, supports_images, input_price, output_price, created_by)
      VALUES (${teamId}, ${input.name}, ${input.kind}, ${input.model}, ${input.baseUrl}, ${input.contextTokens}, ${input.supportsImages}, ${input.inputPrice}, ${input.outputPrice}, ${userId})
      RETURNING id`;
    await tx`UPDATE team_models SET api_key = ${sealKey(row!.id)} WHERE id = ${row!.id}`;
    return row!.id;
  });
}

export async function deleteNamedModel(sql: Sql, teamId: string, id: string): Promise<boolean> {
  const rows = await sql`DELETE FROM team_models WHERE team_id = ${teamId} AND id = ${id} RETURNING id`;
  return rows.length > 0;
}
