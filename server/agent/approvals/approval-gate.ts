import type { ApprovalCategory, ApprovalMode } from '../../../protocol/chat';
import type { Sql } from '../../db/database';
import type { ChatFeed } from '../events/chat-feed';
import type { ChatWriter } from '../events/chat-writer';
import { mcpServerOf } from '../../../protocol/mcp';
import { mcpServerTrusted } from '../mcp/mcp-settings-store';
import { projectAgentSettings } from '../settings/project-settings-store';
import type { ApprovalCheck } from '../tools/dispatcher';
import { approvalStatus, expireApproval, insertApproval } from './approval-store';

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
 * Categories set to `auto` pass at once, and so do the tools of an MCP server set to `auto`. For `ask`, the settings are read again (someone may
 * have said "always allow" meanwhile), an approval request is persisted and announced, and the
 * call waits for the first answer from any team member, in any server process, or for a cancel.
 */
export function approvalCheck(deps: GateDeps): ApprovalCheck {
  return async ({ callId, tool, category, summary }) => {
    // A push always asks: code leaves the sandbox only when a person says so, each time.
    if (category !== 'publish') {
      if (deps.approvals[category] === 'auto') return true;
      // An MCP server the project trusts: its tools alone run without asking.
      if (category === 'mcp' && await mcpServerTrusted(deps.sql, deps.projectId, mcpServerOf(tool))) return true;
      const fresh = await projectAgentSettings(deps.sql, deps.projectId);
      if (fresh.approvals[category] === 'auto') return true;
    }
    const approvalId = await insertApproval(deps.sql, { chatId: deps.chatId, callId, tool, category, summary });
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
      const stored = await approvalStatus(deps.sql, approvalId);
      if (stored && stored !== 'pending') return stored === 'approved';
      return await answer;
    } finally {
      stop?.();
      await expireApproval(deps.sql, approvalId).catch(() => undefined);
    }
  };
}
