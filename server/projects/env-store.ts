import type { Sql, Tx } from '../db/database';

export interface EnvRow { key: string; value: string | null; secret: boolean; updatedAt: Date }

/** A project's variables as stored (a secret's value is only in `ciphertext`). */
export async function listEnv(sql: Sql, projectId: string): Promise<EnvRow[]> {
  return sql<EnvRow[]>`SELECT key, value, secret, updated_at FROM project_env WHERE project_id = ${projectId} ORDER BY key`;
}

export async function upsertEnv(sql: Sql, projectId: string, key: string, input: { value: string | null; ciphertext: Buffer | null; secret: boolean }): Promise<EnvRow> {
  const [row] = await sql<EnvRow[]>`
    INSERT INTO project_env (project_id, key, value, ciphertext, secret) VALUES (${projectId}, ${key}, ${input.value}, ${input.ciphertext}, ${input.secret})
    ON CONFLICT (project_id, key) DO UPDATE SET value = excluded.value, ciphertext = excluded.ciphertext, secret = excluded.secret, updated_at = now()
    RETURNING key, value, secret, updated_at`;
  return row!;
}

/** Whether there was such a variable. */
export async function deleteEnv(sql: Sql, projectId: string, key: string): Promise<boolean> {
  const [row] = await sql`DELETE FROM project_env WHERE project_id = ${projectId} AND key = ${key} RETURNING key`;
  return row !== undefined;
}

/** Marks the sandbox's variables stale and due now; the project's team, when it exists. */
export async function bumpEnvVersion(sql: Sql | Tx, projectId: string): Promise<string | undefined> {
  const [row] = await sql<{ teamId: string }[]>`
    UPDATE projects SET env_version = env_version + 1, next_attempt_at = now() WHERE id = ${projectId} RETURNING team_id`;
  return row?.teamId;
}

/** Every variable with what decrypts it: for the sandbox, never for a client. */
export async function envForSandbox(sql: Sql, projectId: string): Promise<{ key: string; value: string | null; ciphertext: Buffer | null }[]> {
  return sql<{ key: string; value: string | null; ciphertext: Buffer | null }[]>`SELECT key, value, ciphertext FROM project_env WHERE project_id = ${projectId}`;
}
