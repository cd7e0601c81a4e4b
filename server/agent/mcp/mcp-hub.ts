import { runningSandbox, type SandboxAccess } from '../../access/sandbox-access';
import { AppError } from '../../errors';
import type { Services } from '../../services';
import { loadMcpConfig } from './mcp-config';
import { projectMcpSettings } from './mcp-settings-store';
import { ProjectMcp } from './project-mcp';

/** Servers nobody's turn has used for this long are stopped (the next turn starts them again). */
const IDLE_MS = 30 * 60_000;

type HubServices = Pick<Services, 'sql' | 'daemons' | 'secrets' | 'log'>;

/**
 * The MCP servers of every project this process runs turns for, one set per running sandbox.
 * A turn syncs its project's set with the config (the workspace file and the settings, read
 * afresh each turn); a new sandbox gets a new set; idle sets are stopped.
 */
export class McpHub {
  private readonly projects = new Map<string, { mcp: ProjectMcp; address: string; usedAt: number }>();
  private readonly reaper: NodeJS.Timeout;

  constructor(private readonly services: HubServices) {
    this.reaper = setInterval(() => this.reap(), 60_000);
    this.reaper.unref();
  }

  /**
   * The project's MCP servers for a turn, started and synced; undefined when its sandbox is not
   * running (a chat that only talks starts nothing) or it has none. `sandbox`: the turn's own
   * lookup of the running sandbox, shared with its other turn-start reads.
   */
  async forTurn(projectId: string, sandbox: Promise<SandboxAccess> = runningSandbox(this.services, projectId)): Promise<ProjectMcp | undefined> {
    let access;
    try {
      access = await sandbox;
    } catch (error) {
      if (error instanceof AppError) return undefined;
      throw error;
    }
    const address = access.sandbox.address ?? '';
    const settings = await projectMcpSettings(this.services.sql, this.services.secrets, projectId);
    const config = await loadMcpConfig(access.client, settings);
    // From here to the set below nothing awaits: two turns of one project share one set.
    let entry = this.projects.get(projectId);
    if (entry && (entry.mcp.sandboxId !== access.sandbox.id || entry.address !== address)) {
      this.projects.delete(projectId);
      void entry.mcp.close();
      entry = undefined;
    }
    if (!entry && config.servers.length === 0 && !config.configError) return undefined;
    if (!entry) {
      entry = { mcp: new ProjectMcp(access.sandbox.id, access.client), address, usedAt: Date.now() };
      this.projects.set(projectId, entry);
    }
    entry.usedAt = Date.now();
    await entry.mcp.sync(config, settings.disabledTools);
    return entry.mcp;
  }

  /** What runs now, without starting anything (REST). */
  current(projectId: string): ProjectMcp | undefined {
    return this.projects.get(projectId)?.mcp;
  }

  async close(): Promise<void> {
    clearInterval(this.reaper);
    const all = [...this.projects.values()];
    this.projects.clear();
    await Promise.all(all.map((entry) => entry.mcp.close()));
  }

  private reap(): void {
    for (const [projectId, entry] of this.projects) {
      if (Date.now() - entry.usedAt < IDLE_MS) continue;
      this.projects.delete(projectId);
      void entry.mcp.close();
    }
  }
}
