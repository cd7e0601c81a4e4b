import type { Sql } from '../db/database';
import { PROJECT_CHANNEL, parseProjectChange, type ProjectChange } from '../events/project-events';
import type { Logger } from '../log';
import { projectById, toProject } from '../projects/project-store';
import { memberIds } from '../teams/team-store';
import type { WsConnection } from './ws-connection';

/**
 * Pushes `project.updated` to sockets subscribed to a team. Changes arrive through PostgreSQL
 * LISTEN/NOTIFY, so a change made by any server process reaches clients of every process.
 * Membership is checked again on each push: a user removed from a team stops receiving at once.
 */
export class ProjectFeed {
  private readonly subscribers = new Map<string, Set<WsConnection>>();
  private unlisten: (() => Promise<void>) | undefined;

  constructor(private readonly sql: Sql, private readonly log: Logger) {}

  async start(): Promise<void> {
    const { unlisten } = await this.sql.listen(PROJECT_CHANNEL, (payload) => {
      const change = parseProjectChange(payload);
      if (change) this.deliver(change).catch((err: unknown) => this.log.warn({ err }, 'project feed delivery failed'));
    });
    this.unlisten = unlisten;
  }

  async stop(): Promise<void> {
    await this.unlisten?.();
  }

  subscribe(teamId: string, connection: WsConnection): void {
    let set = this.subscribers.get(teamId);
    if (!set) this.subscribers.set(teamId, (set = new Set()));
    if (set.has(connection)) return;
    set.add(connection);
    connection.onClose(() => this.unsubscribe(teamId, connection));
  }

  unsubscribe(teamId: string, connection: WsConnection): void {
    const set = this.subscribers.get(teamId);
    set?.delete(connection);
    if (set?.size === 0) this.subscribers.delete(teamId);
  }

  private async deliver(change: ProjectChange): Promise<void> {
    const set = this.subscribers.get(change.teamId);
    if (!set?.size) return;
    const [row, members] = await Promise.all([
      projectById(this.sql, change.projectId),
      memberIds(this.sql, change.teamId),
    ]);
    if (!row || row.teamId !== change.teamId) return;
    const allowed = new Set(members);
    const project = toProject(row);
    for (const connection of set) {
      if (allowed.has(connection.user.id)) connection.sendEvent('project.updated', { project });
      else this.unsubscribe(change.teamId, connection);
    }
  }
}
