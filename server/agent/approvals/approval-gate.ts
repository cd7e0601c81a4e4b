import type { ApprovalCategory, ApprovalMode } from '../../../protocol/chat';
import type { Sql } from '../../db/database';
import type { ChatFeed } from '../events/chat-feed';
import type { ChatWriter } from '../events/chat-writer';
import { projectAgentSettings } from '../settings/project-settings';
import type { ApprovalCheck } from '../tools/dispatcher';

export interface GateDeps {
  sql: Sql;
  feed: ChatFeed;
  writer: ChatWriter;
  chatId: string;
  projectId: string;
  signal: AbortSignal;
  /** The project's settings when the turn began. */
  approvals: Record<ApprovalCategory, ApprovalMode>;
}

/**
 * Categories set to `auto` pass at once. For `ask`, the settings are read again (someone may
 * have said "always allow" meanwhile), an approval request is persisted and announced, and the
 * call waits for the first answer from any team member, in any server process, or for a cancel.
 */
export function approvalCheck(deps: GateDeps): ApprovalCheck {
  return async ({ callId, tool, category, summary }) => {
    // A push always asks: code leaves the sandbox only when a person says so, each time.
    if (category !== 'publish') {
      if (deps.approvals[category] === 'auto') return true;
      const fresh = await projectAgentSettings(deps.sql, deps.projectId);
      if (fresh.approvals[category] === 'auto') return true;
    }
    const [row] = await deps.sql<{ id: string }[]>`
      INSERT INTO agent_approvals (chat_id, call_id, tool, category, summary) VALUES (${deps.chatId}, ${callId}, ${tool}, ${category}, ${summary}) RETURNING id`;
    const approvalId = row!.id;
    let stop: (() => void) | undefined;
    const answer = new Promise<boolean>((resolve, reject) => {
      const onAbort = () => reject(deps.signal.reason);
      deps.signal.addEventListener('abort', onAbort, { once: true });
      const unlisten = deps.feed.listen(deps.chatId, (_seq, event) => {
        if (event?.body.type === 'approval_answer' && event.body.approvalId === approvalId) resolve(event.body.approved);
      });
      stop = () => { unlisten(); deps.signal.removeEventListener('abort', onAbort); };
    });
    answer.catch(() => undefined);
    try {
      await deps.writer.emit({ type: 'approval_request', approvalId, callId, tool, category, summary });
      // An answer may have been stored while we were not listening yet (another process): look once.
      const [stored] = await deps.sql<{ status: string }[]>`SELECT status FROM agent_approvals WHERE id = ${approvalId}`;
      if (stored && stored.status !== 'pending') return stored.status === 'approved';
      return await answer;
    } finally {
      stop?.();
      await deps.sql`UPDATE agent_approvals SET status = 'expired' WHERE id = ${approvalId} AND status = 'pending'`.catch(() => undefined);
    }
  };
}
