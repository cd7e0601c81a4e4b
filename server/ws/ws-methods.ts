import { chatWsHandlers, ChatSubscriptions } from '../agent/handlers/chat-ws-handlers';
import type { AgentService } from '../agent/agent-service';
import { chatCommandWsHandlers } from '../agent/handlers/chat-command-handlers';
import type { Services } from '../services';
import { listProjects } from '../projects/project-store';
import { requireRole } from '../teams/membership';
import type { ProjectFeed } from './project-feed';
import type { WsHandlers } from './ws-connection';
import { workspaceHandlers } from '../workspace-bridge/workspace-handlers';
import { gitWsHandlers } from '../git/git-ws-handlers';

/** Every method checks the caller's membership itself: a socket is no wider than its user. */
export function wsHandlers(services: Pick<Services, 'sql' | 'daemons' | 'secrets'>, agent: AgentService, feed: ProjectFeed): WsHandlers {
  return {
    ...chatWsHandlers(services, agent, new ChatSubscriptions(services.sql, agent.feed)),
    ...chatCommandWsHandlers(services, agent),
    ...workspaceHandlers(services),
    ...gitWsHandlers(services),
    ping: async () => ({ at: Date.now() }),
    'projects.subscribe': async ({ teamId }, connection) => {
      await requireRole(services.sql, connection.user.id, teamId);
      feed.subscribe(teamId, connection);
      const { items } = await listProjects(services.sql, connection.user.id, { teamId, limit: 200 });
      return { projects: items };
    },
    'projects.unsubscribe': async ({ teamId }, connection) => {
      feed.unsubscribe(teamId, connection);
      await requireRole(services.sql, connection.user.id, teamId);
      return { ok: true as const };
    },
  };
}
