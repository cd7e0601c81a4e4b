import { isDeepStrictEqual } from 'node:util';
import type { ChatEvent } from '../../../protocol/chat';
import type { McpStatusReport } from '../../../protocol/mcp';
import type { ChatWriter } from '../events/chat-writer';
import type { AgentServices } from '../agent-deps';
import type { SandboxAccess } from '../../access/sandbox-access';
import type { McpHub } from './mcp-hub';
import type { ProjectMcp } from './project-mcp';
import type { McpTool } from './mcp-tools';

/** A turn's view of its project's MCP servers. */
export interface TurnMcp {
  /** The tools of the servers that are up now. */
  tools(): McpTool[];
  stop(): void;
}

export const NO_MCP: TurnMcp = { tools: () => [], stop: () => undefined };

/**
 * Starts (or syncs) the project's MCP servers for a turn, beside the turn's other reads. Failing
 * to read the config never fails the turn (it is logged).
 */
export async function startMcp(hub: McpHub | undefined, services: Pick<AgentServices, 'log'>, projectId: string, sandbox?: Promise<SandboxAccess>): Promise<ProjectMcp | undefined> {
  try {
    return await hub?.forTurn(projectId, sandbox);
  } catch (error) {
    services.log.warn({ err: error, projectId }, 'starting the MCP servers failed');
    return undefined;
  }
}

/**
 * The turn's view of the servers, and the chat told about them: once at the start when it differs
 * from what the chat last showed, and again whenever a server goes up or down while the turn runs.
 */
export async function turnMcp(mcp: ProjectMcp | undefined, events: ChatEvent[], writer: ChatWriter): Promise<TurnMcp> {
  if (!mcp) return NO_MCP;
  const last = events.findLast((e) => e.body.type === 'mcp_status')?.body;
  let shown: McpStatusReport | undefined = last?.type === 'mcp_status' ? { servers: last.servers, configError: last.configError } : undefined;
  const announce = async () => {
    const now = mcp.status();
    if (shown && isDeepStrictEqual(now, shown)) return;
    if (!shown && now.servers.length === 0 && !now.configError) return;
    shown = now;
    await writer.emit({ type: 'mcp_status', ...now });
  };
  await announce();
  let pending: NodeJS.Timeout | undefined;
  const unlisten = mcp.onChange(() => {
    clearTimeout(pending);
    pending = setTimeout(() => void announce().catch(() => undefined), 100);
  });
  return {
    tools: () => mcp.tools(),
    stop: () => {
      unlisten();
      clearTimeout(pending);
    },
  };
}
