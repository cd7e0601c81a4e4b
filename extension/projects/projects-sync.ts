import type { RestClient } from '../../protocol/client/rest-client';
import type { SocketClient } from '../../protocol/client/socket-client';
import type { Logger } from '../log';
import type { ProjectsModel } from './projects-model';

/**
 * Keeps a ProjectsModel current for one signed-in account: teams over REST, each team's projects by
 * `projects.subscribe` (made again after every reconnection) and `project.updated` pushes. While the
 * WebSocket is down, a refresh falls back to REST snapshots.
 */
export class ProjectsSync {
  private readonly subscriptions = new Map<string, () => void>();
  private readonly offs: (() => void)[] = [];
  private refreshing: Promise<void> | undefined;

  constructor(
    private readonly model: ProjectsModel,
    private readonly rest: RestClient,
    private readonly socket: SocketClient,
    private readonly log: Logger,
    private readonly explain: (error: unknown) => string,
  ) {
    this.offs.push(
      socket.on('project.updated', ({ project }) => {
        this.model.apply(project);
      }),
      socket.onState((state) => {
        if (state.status === 'open') void this.refresh();
      }),
    );
    void this.refresh();
  }

  /** Loads the teams again (joins and leaves) and, without a live socket, each team's projects. */
  refresh(): Promise<void> {
    this.refreshing ??= this.load().finally(() => (this.refreshing = undefined));
    return this.refreshing;
  }

  private async load(): Promise<void> {
    try {
      const { teams } = await this.rest('me.get', {});
      this.model.setTeams(teams);
      for (const [teamId, release] of this.subscriptions) {
        if (!teams.some((t) => t.id === teamId)) {
          release();
          this.subscriptions.delete(teamId);
        }
      }
      for (const team of teams) {
        if (!this.subscriptions.has(team.id)) this.subscriptions.set(team.id, this.subscribe(team.id));
      }
      if (this.socket.state.status !== 'open') {
        await Promise.all(teams.map(async (team) => {
          const { items } = await this.rest('projects.list', { query: { teamId: team.id, limit: 200 } });
          this.model.setProjects(team.id, items);
        }));
      }
    } catch (error) {
      const message = this.explain(error);
      this.log.warn(`could not load projects: ${message}`);
      if (!this.model.teams.length) this.model.clear(message);
    }
  }

  private subscribe(teamId: string): () => void {
    return this.socket.keep('projects.subscribe', { teamId }, {
      onResult: ({ projects }) => this.model.setProjects(teamId, projects),
      onError: (error) => this.log.warn(`projects.subscribe for team ${teamId} failed: ${String(error)}`),
    }, { method: 'projects.unsubscribe', params: { teamId } });
  }

  dispose(): void {
    for (const off of this.offs.splice(0)) off();
    for (const release of this.subscriptions.values()) release();
    this.subscriptions.clear();
  }
}
