import { McpServers, type McpServerConfig, type ProjectMcpSettings } from '../../../protocol/mcp';
import type { SecretBox } from '../../crypto/secret-box';
import type { Sql } from '../../db/database';

const context = (projectId: string) => `mcp-servers:${projectId}`;

interface Row {
  servers: Uint8Array | null;
  disabledTools: string[];
}

/** The project's MCP settings, servers unsealed (env and header values included: for the agent only). */
export async function projectMcpSettings(sql: Sql, secrets: SecretBox, projectId: string): Promise<ProjectMcpSettings> {
  const [row] = await sql<Row[]>`SELECT servers, disabled_tools FROM project_mcp_settings WHERE project_id = ${projectId}`;
  const servers = row?.servers ? McpServers.parse(JSON.parse(secrets.open(row.servers, context(projectId)))) : {};
  return { servers: servers as Record<string, McpServerConfig>, disabledTools: row?.disabledTools ?? [] };
}

export async function saveProjectMcpSettings(sql: Sql, secrets: SecretBox, projectId: string, settings: ProjectMcpSettings): Promise<void> {
  const sealed = Object.keys(settings.servers).length ? secrets.seal(JSON.stringify(settings.servers), context(projectId)) : null;
  await sql`
    INSERT INTO project_mcp_settings (project_id, servers, disabled_tools)
    VALUES (${projectId}, ${sealed}, ${sql.json(settings.disabledTools)})
    ON CONFLICT (project_id) DO UPDATE SET servers = excluded.servers, disabled_tools = excluded.disabled_tools, updated_at = now()`;
}
