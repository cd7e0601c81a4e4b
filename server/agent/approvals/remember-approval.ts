import type { ApprovalCategory } from '../../../protocol/chat';
import { mcpServerOf } from '../../../protocol/mcp';
import type { Sql } from '../../db/database';
import { trustMcpServer } from '../mcp/mcp-settings-store';
import { updateProjectAgentSettings } from '../settings/project-settings-store';

/**
 * "Always allow" on an approved call: a push never (it asks each time); an MCP tool trusts its own
 * server only (not every MCP server of the project); any other category becomes `auto` for the project.
 */
export async function rememberApproval(sql: Sql, projectId: string, answered: { category: ApprovalCategory; tool: string }): Promise<void> {
  if (answered.category === 'publish') return;
  if (answered.category === 'mcp') return trustMcpServer(sql, projectId, mcpServerOf(answered.tool));
  await updateProjectAgentSettings(sql, projectId, { approvals: { [answered.category]: 'auto' } });
}
