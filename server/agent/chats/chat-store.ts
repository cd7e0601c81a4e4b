import type { Role } from '../../../protocol/common';
import type { Chat } from '../../../protocol/chat';
import type { Sql, Tx } from '../../db/database';

export interface ChatRow {
  id: string;
  projectId: string;
  teamId: string;
  title: string;
  state: 'idle' | 'running' | 'interrupted';
  lastSeq: string | number;
  turnId: string | null;
  /** The team model its turns use; null: the team's default. */
  modelId: string | null;
  createdAt: Date;
  updatedAt: Date;
}

export const toChat = (r: ChatRow): Chat => ({
  id: r.id, projectId: r.projectId, title: r.title, state: r.state, lastSeq: Number(r.lastSeq), modelId: r.modelId,
  createdAt: r.createdAt.toISOString(), updatedAt: r.updatedAt.toISOString(),
});

const COLUMNS = 'c.id, c.project_id, p.team_id, c.title, c.state, c.last_seq, c.turn_id, c.model_id, c.created_at, c.updated_at';

/** The chat and the user's role in its project's team; undefined when they are not in it or it does not exist. */
export async function chatWithRole(db: Sql | Tx, userId: string, chatId: string): Promise<{ chat: ChatRow; role: Role } | undefined> {
  const [row] = await db<(ChatRow & { role: Role })[]>`
    SELECT ${db.unsafe(COLUMNS)}, m.role FROM chats c
    JOIN projects p ON p.id = c.project_id AND p.status <> 'TERMINATED'
    JOIN memberships m ON m.team_id = p.team_id AND m.user_id = ${userId}
    WHERE c.id = ${chatId}`;
  if (!row) return undefined;
  const { role, ...chat } = row;
  return { chat, role };
}

export async function chatById(db: Sql | Tx, chatId: string): Promise<ChatRow | undefined> {
  const [row] = await db<ChatRow[]>`SELECT ${db.unsafe(COLUMNS)} FROM chats c JOIN projects p ON p.id = c.project_id WHERE c.id = ${chatId}`;
  return row;
}

export async function insertChat(db: Sql | Tx, input: { projectId: string; title: string; userId: string }): Promise<ChatRow> {
  const [row] = await db<{ id: string }[]>`
    INSERT INTO chats (project_id, title, created_by) VALUES (${input.projectId}, ${input.title}, ${input.userId}) RETURNING id`;
  return (await chatById(db, row!.id))!;
}

export async function listChats(db: Sql | Tx, projectId: string): Promise<ChatRow[]> {
  return db<ChatRow[]>`
    SELECT ${db.unsafe(COLUMNS)} FROM chats c JOIN projects p ON p.id = c.project_id
    WHERE c.project_id = ${projectId} ORDER BY c.updated_at DESC LIMIT 200`;
}

/** The chat's turn state (`running`, `idle`…), when the chat exists. */
export async function chatState(db: Sql | Tx, chatId: string): Promise<string | undefined> {
  const [row] = await db<{ state: string }[]>`SELECT state FROM chats WHERE id = ${chatId}`;
  return row?.state;
}

/** The sequence number of the chat's last event (0 before any). */
export async function chatLastSeq(db: Sql | Tx, chatId: string): Promise<number> {
  const [row] = await db<{ lastSeq: string }[]>`SELECT last_seq FROM chats WHERE id = ${chatId}`;
  return Number(row?.lastSeq ?? 0);
}

/** Chooses the chat's model (null: the team's default). */
export async function setChatModel(db: Sql | Tx, chatId: string, modelId: string | null): Promise<void> {
  await db`UPDATE chats SET model_id = ${modelId}, updated_at = now() WHERE id = ${chatId}`;
}
