import type { Checkpoint } from '../../../protocol/chat';
import type { Sql } from '../../db/database';

interface CheckpointRow {
  id: string;
  projectId: string;
  chatId: string | null;
  commit: string;
  message: string;
  files: string[];
  seq: string | null;
  createdAt: Date;
}

export const toCheckpoint = (r: CheckpointRow): Checkpoint => ({
  id: r.id, chatId: r.chatId, commit: r.commit, message: r.message, files: r.files,
  seq: r.seq === null ? null : Number(r.seq), createdAt: r.createdAt.toISOString(),
});

export async function insertCheckpoint(sql: Sql, input: { projectId: string; chatId: string | null; commit: string; message: string; files: string[]; seq: number | null }): Promise<CheckpointRow> {
  const [row] = await sql<CheckpointRow[]>`
    INSERT INTO checkpoints (project_id, chat_id, commit, message, files, seq)
    VALUES (${input.projectId}, ${input.chatId}, ${input.commit}, ${input.message}, ${sql.json(input.files)}, ${input.seq})
    RETURNING *`;
  return row!;
}

export async function listCheckpoints(sql: Sql, projectId: string): Promise<CheckpointRow[]> {
  return sql<CheckpointRow[]>`SELECT * FROM checkpoints WHERE project_id = ${projectId} ORDER BY created_at DESC, id LIMIT 200`;
}

export async function checkpointById(sql: Sql, id: string): Promise<CheckpointRow | undefined> {
  const [row] = await sql<CheckpointRow[]>`SELECT * FROM checkpoints WHERE id = ${id}`;
  return row;
}

/** The newest checkpoint of the project at `commit`. */
export async function checkpointAtCommit(sql: Sql, projectId: string, commit: string): Promise<string | undefined> {
  const [row] = await sql<{ id: string }[]>`SELECT id FROM checkpoints WHERE project_id = ${projectId} AND commit = ${commit} ORDER BY created_at DESC LIMIT 1`;
  return row?.id;
}
