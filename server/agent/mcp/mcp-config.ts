import { parse as parseJsonc, printParseErrorCode, type ParseError } from 'jsonc-parser';
import { describeIssues } from '../../../protocol/errors';
import { isStdioServer, MAX_MCP_CONFIG_BYTES, MAX_MCP_SERVERS, MCP_CONFIG_PATH, McpConfigFile, type McpServerConfig, type ProjectMcpSettings } from '../../../protocol/mcp';
import { DaemonClientError, type DaemonClient } from '../../daemon-client';
import type { McpServerEntry } from './mcp-connection';

export interface McpConfig {
  servers: McpServerEntry[];
  /** Why the workspace's file was not used (it is then left out; the settings' servers still run). */
  configError: string | null;
}

/** The workspace's `.slipway/mcp.json` (absent: none), then the project's settings (same name: settings win). */
export async function loadMcpConfig(client: DaemonClient, settings: ProjectMcpSettings): Promise<McpConfig> {
  const { servers: fromFile, error } = await readWorkspaceFile(client);
  const entries = new Map<string, McpServerEntry>();
  for (const [name, server] of Object.entries(fromFile)) entries.set(name, entry(name, 'workspace', server));
  for (const [name, server] of Object.entries(settings.servers)) entries.set(name, entry(name, 'settings', server));
  const servers = [...entries.values()];
  const over = servers.length > MAX_MCP_SERVERS ? `only the first ${MAX_MCP_SERVERS} MCP servers run` : null;
  return { servers: servers.slice(0, MAX_MCP_SERVERS), configError: error ?? over };
}

const entry = (name: string, source: McpServerEntry['source'], server: McpServerConfig): McpServerEntry => ({
  name, source,
  spec: isStdioServer(server) ? { type: 'stdio', command: server.command, args: server.args, env: server.env } : { type: 'http', url: server.url, headers: server.headers },
});

async function readWorkspaceFile(client: DaemonClient): Promise<{ servers: Record<string, McpServerConfig>; error?: string }> {
  let bytes: Buffer;
  try {
    bytes = await client.readFile(MCP_CONFIG_PATH, { length: MAX_MCP_CONFIG_BYTES + 1 });
  } catch (error) {
    if (error instanceof DaemonClientError && error.code === 'not_found') return { servers: {} };
    throw error;
  }
  if (bytes.length > MAX_MCP_CONFIG_BYTES) return { servers: {}, error: `${MCP_CONFIG_PATH} is over ${MAX_MCP_CONFIG_BYTES / 1024} KiB` };
  // VS Code's mcp.json allows comments and trailing commas: so does this.
  const errors: ParseError[] = [];
  const json: unknown = parseJsonc(bytes.toString('utf8'), errors, { allowTrailingComma: true });
  if (errors.length) return { servers: {}, error: `${MCP_CONFIG_PATH} is not valid JSON: ${printParseErrorCode(errors[0]!.error)} at offset ${errors[0]!.offset}` };
  const parsed = McpConfigFile.safeParse(json);
  if (!parsed.success) return { servers: {}, error: `${MCP_CONFIG_PATH}: ${describeIssues(parsed.error, 5)}` };
  return { servers: parsed.data.servers as Record<string, McpServerConfig> };
}
