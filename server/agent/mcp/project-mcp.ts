import { isDeepStrictEqual } from 'node:util';
import type { McpStatusReport } from '../../../protocol/mcp';
import type { DaemonClient } from '../../daemon-client';
import type { McpConfig } from './mcp-config';
import { McpConnection } from './mcp-connection';
import { mcpTools, toolInfo, type McpTool } from './mcp-tools';

/** How long a turn waits for servers that are starting before it goes on without them. */
const START_WAIT_MS = 15_000;

/**
 * The MCP servers of one running sandbox: kept in step with the config (a changed server is
 * restarted, a removed one stopped), their tools and their status.
 */
export class ProjectMcp {
  private readonly connections = new Map<string, McpConnection>();
  private readonly listeners = new Set<() => void>();
  private configError: string | null = null;
  private disabled: ReadonlySet<string> = new Set();

  constructor(readonly sandboxId: string, private readonly daemon: DaemonClient) {}

  /** Applies the config and waits (bounded) for the servers it starts. */
  async sync(config: McpConfig, disabledTools: readonly string[]): Promise<void> {
    this.configError = config.configError;
    this.disabled = new Set(disabledTools);
    const wanted = new Map(config.servers.map((entry) => [entry.name, entry]));
    for (const [name, connection] of this.connections) {
      const next = wanted.get(name);
      if (next && isDeepStrictEqual(next, connection.entry)) continue;
      this.connections.delete(name);
      void connection.stop();
    }
    const fresh: McpConnection[] = [];
    for (const entry of wanted.values()) {
      if (this.connections.has(entry.name)) continue;
      const connection = new McpConnection(entry, this.daemon, () => this.changed());
      this.connections.set(entry.name, connection);
      fresh.push(connection);
      void connection.start();
    }
    // One that gave up is tried again in the background: a broken server does not slow every turn.
    for (const connection of this.connections.values()) connection.retryIfGaveUp();
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise((resolve) => { timer = setTimeout(resolve, START_WAIT_MS); });
    await Promise.race([Promise.all(fresh.map((c) => c.settled())), deadline]);
    clearTimeout(timer);
  }

  tools(): McpTool[] {
    return mcpTools(this.connections.values(), this.disabled);
  }

  status(): McpStatusReport {
    return {
      configError: this.configError,
      servers: [...this.connections.values()].map((c) => ({
        name: c.entry.name, source: c.entry.source, transport: c.entry.spec.type, state: c.state,
        error: c.error, restarts: c.restarts, tools: toolInfo(c, this.disabled),
      })),
    };
  }

  get empty(): boolean {
    return this.connections.size === 0 && !this.configError;
  }

  /** Called whenever a server goes up or down; returns the unsubscribe. */
  onChange(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  async close(): Promise<void> {
    const all = [...this.connections.values()];
    this.connections.clear();
    this.listeners.clear();
    await Promise.all(all.map((c) => c.stop()));
  }

  private changed(): void {
    for (const listener of this.listeners) listener();
  }
}
