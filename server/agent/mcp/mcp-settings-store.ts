import { MAX_MCP_SERVERS, McpApproval, McpServerName, McpServers, type McpServerConfig, type ProjectMcpSettings } from '../../../protocol/mcp';
import type { SecretBox } from '../../crypto/secret-box';
import type { Sql } from '../../db/database';

const context = (projectId: string) => `mcp-servers:${projectId}`;

interface Row {
  servers: Uint8Array | null;
  disabledTools: string[];
  serverApprovals: unknown;
}

/** Only `auto` is stored: `ask` is what a server not listed does. */
const trustedOnly = (approvals: Record<string, McpApproval>): Record<string, 'auto'> =>
  Object.fromEntries(Object.entries(approvals).filter(([, mode]) => mode === 'auto').map(([name]) => [name, 'auto' as const]));

/** What is stored, leniently: a bad entry is dropped alone, and no more entries than the API takes. */
function readApprovals(raw: unknown): Record<string, McpApproval> {
  const entries = Object.entries(typeof raw === 'object' && raw !== null ? raw : {})
    .filter(([name, mode]) => McpServerName.safeParse(name).success && McpApproval.safeParse(mode).success);
  return Object.fromEntries(entries.slice(0, MAX_MCP_SERVERS * 2)) as Record<string, McpApproval>;
}

/** The project's MCP settings, servers unsealed (env and header values included: for the agent only). */
export async function projectMcpSettings(sql: Sql, secrets: SecretBox, projectId: string): Promise<ProjectMcpSettings> {
  const [row] = await sql<Row[]>`SELECT servers, disabled_tools, server_approvals FROM project_mcp_settings WHERE project_id = ${projectId}`;
  const servers = row?.servers ? McpServers.parse(JSON.parse(secrets.open(row.servers, context(projectId)))) : {};
  return { servers: servers as Record<string, McpServerConfig>, disabledTools: row?.disabledTools ?? [], approvals: readApprovals(row?.serverApprovals) };
}

export async function saveProjectMcpSettings(sql: Sql, secrets: SecretBox, projectId: string, settings: ProjectMcpSettings): Promise<void> {
  const sealed = Object.keys(settings.servers).length ? secrets.seal(JSON.stringify(settings.servers), context(projectId)) : null;
  await sql`
    INSERT INTO project_mcp_settings (project_id, servers, disabled_tools, server_approvals)
    VALUES (${projectId}, ${sealed}, ${sql.json(settings.disabledTools)}, ${sql.json(trustedOnly(settings.approvals))})
    ON CONFLICT (project_id) DO UPDATE SET servers = excluded.servers, disabled_tools = excluded.disabled_tools,
      server_approvals = excluded.server_approvals, updated_at = now()`;
}

/** Whether the project trusts `server` (its tools run without asking); read at each call, nothing unsealed. */
export async function mcpServerTrusted(sql: Sql, projectId: string, server: string): Promise<boolean> {
  const [row] = await sql<{ serverApprovals: unknown }[]>`SELECT server_approvals FROM project_mcp_settings WHERE project_id = ${projectId}`;
  return readApprovals(row?.serverApprovals)[server] === 'auto';
}

/** "Always allow" on one MCP server's tool: that server alone becomes `auto`. */
export async function trustMcpServer(sql: Sql, projectId: string, server: string): Promise<void> {
  await sql`
    INSERT INTO project_mcp_settings (project_id, server_approvals) VALUES (${projectId}, ${sql.json({ [server]: 'auto' })})
    ON CONFLICT (project_id) DO UPDATE SET server_approvals = project_mcp_settings.server_approvals || excluded.server_approvals, updated_at = now()`;
}
