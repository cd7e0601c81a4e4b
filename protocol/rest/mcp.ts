import { McpStatusReport, ProjectMcpSettings, PutProjectMcpSettingsBody } from '../mcp';
import { ProjectParams } from './projects';
import { route } from './route';

/**
 * A project's MCP servers through the API (besides its workspace's `.slipway/mcp.json`). Env and
 * header values are never shown again: they read as `HIDDEN_VALUE`, and sending that value back
 * keeps the stored one.
 */
export const mcpRestRoutes = {
  'mcp.settings.get': route({ method: 'GET', path: '/api/projects/:projectId/mcp', summary: 'The project\'s own MCP servers (env and header values hidden) and the MCP tools turned off', auth: 'user', params: ProjectParams, response: ProjectMcpSettings }),
  'mcp.settings.put': route({ method: 'PUT', path: '/api/projects/:projectId/mcp', summary: 'Replace the project\'s own MCP servers and/or the tools turned off (applies from the next turn; values encrypted)', auth: 'user', params: ProjectParams, body: PutProjectMcpSettingsBody, response: ProjectMcpSettings }),
  'mcp.status': route({ method: 'GET', path: '/api/projects/:projectId/mcp/status', summary: 'The MCP servers running for the project now, with their tools and errors (starts nothing)', auth: 'user', params: ProjectParams, response: McpStatusReport }),
} as const;
