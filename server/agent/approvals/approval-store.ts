import type { ApprovalCategory } from '../../../protocol/chat';
import type { Sql } from '../../db/database';

/** A pending request for a person's approval of one tool call; its id. */
export async function insertApproval(sql: Sql, input: { chatId: string; callId: string; tool: string; category: ApprovalCategory; summary: string }): Promise<string> {
  const [row] = await sql<{ id: string }[]>`
    INSERT INTO agent_approvals (chat_id, call_id, tool, category, summary) VALUES (${input.chatId}, ${input.callId}, ${input.tool}, ${input.category}, ${input.summary}) RETURNING id`;
  return row!.id;
}

/** `pending`, `approved`, `denied` or `expired`; undefined when there is no such approval. */
export async function approvalStatus(sql: Sql, approvalId: string): Promise<string | undefined> {
  const [row] = await sql<{ status: string }[]>`SELECT status FROM agent_approvals WHERE id = ${approvalId}`;
  return row?.status;
}

/** Expires the approval if nobody answered it. */
export async function expireApproval(sql: Sql, approvalId: string): Promise<void> {
  await sql`UPDATE agent_approvals SET status = 'expired' WHERE id = ${approvalId} AND status = 'pending'`;
}

/** Records the first answer to a pending approval of the chat; its category, or undefined when it was no longer pending. */
export async function answerApproval(sql: Sql, input: { chatId: string; approvalId: string; approved: boolean; userId: string }): Promise<{ category: ApprovalCategory; tool: string } | undefined> {
  const [row] = await sql<{ category: ApprovalCategory; tool: string }[]>`
    UPDATE agent_approvals SET status = ${input.approved ? 'approved' : 'denied'}, answered_by = ${input.userId}, answered_at = now()
    WHERE id = ${input.approvalId} AND chat_id = ${input.chatId} AND status = 'pending' RETURNING category, tool`;
  return row;
}
