import type { Services } from '../services';
import type { AgentService } from './agent-service';

/** The agent of this process; server.ts creates it before the app and the WebSocket exist. */
export function requireAgent(services: Services): AgentService {
  if (!services.agent) throw new Error('the agent service must be created before the app (see server.ts)');
  return services.agent;
}
