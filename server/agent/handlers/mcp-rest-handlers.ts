import type { McpServerConfig } from '../../../protocol/mcp';
import { projectForUser } from '../../access/access';
import { audit } from '../../audit/audit-store';
import type { Handlers } from '../../http/route-binder';
import type { Services } from '../../services';
import type { AgentService } from '../agent-service';
import { hideValues, keepHiddenValues } from '../mcp/hidden-values';
import { projectMcpSettings, saveProjectMcpSettings } from '../mcp/mcp-settings-store';

/** A project's MCP settings and status: any member of its team (they can run commands in its sandbox anyway). */
export function mcpRestHandlers(services: Pick<Services, 'sql' | 'secrets'>, agent: AgentService): Pick<Handlers, 'mcp.settings.get' | 'mcp.settings.put' | 'mcp.status'> {
  const { sql, secrets } = services;
  return {
    'mcp.settings.get': async ({ user, params }) => {
      await projectForUser(sql, user.id, params.projectId);
      const settings = await projectMcpSettings(sql, secrets, params.projectId);
      return { ...settings, servers: hideValues(settings.servers) };
    },
    'mcp.settings.put': async ({ user, params, body }) => {
      const { row } = await projectForUser(sql, user.id, params.projectId);
      const stored = await projectMcpSettings(sql, secrets, params.projectId);
      const next = {
        servers: body.servers ? keepHiddenValues(body.servers as Record<string, McpServerConfig>, stored.servers) : stored.servers,
        disabledTools: body.disabledTools ? [...new Set(body.disabledTools)] : stored.disabledTools,
        approvals: body.approvals ?? stored.approvals,
      };
      await saveProjectMcpSettings(sql, secrets, params.projectId, next);
      await audit(sql, { teamId: row.teamId, actorId: user.id, action: 'mcp.settings.set', target: params.projectId, detail: { servers: Object.keys(next.servers).join(','), disabledTools: next.disabledTools.length, trusted: Object.keys(next.approvals).filter((n) => next.approvals[n] === 'auto').join(',') } });
      return { ...(await projectMcpSettings(sql, secrets, params.projectId)), servers: hideValues(next.servers) };
    },
    'mcp.status': async ({ user, params }) => {
      await projectForUser(sql, user.id, params.projectId);
      return agent.deps.mcp?.current(params.projectId)?.status() ?? { servers: [], configError: null };
    },
  };
}
