import type { Project } from '../../protocol/rest/projects';
import type { ProjectsModel } from './projects-model';

/**
 * Notices projects that get deleted (by anyone): one marked for deletion, or one that leaves its
 * team's list while the team is still shown (a sign-out or a lost team is not a deletion). Keeps
 * their names, so a save into a deleted project can say which project went away.
 */
export class DeletedProjects {
  private readonly known = new Map<string, Project>();
  private readonly deleted = new Map<string, string>();
  private readonly off: () => void;

  constructor(private readonly model: ProjectsModel, private readonly onDeleted: (project: Project) => void) {
    this.off = model.onChange(() => this.check());
    this.check();
  }

  /** The name of a project seen deleted, if it was. */
  nameOf(projectId: string): string | undefined {
    return this.deleted.get(projectId);
  }

  private check(): void {
    const teams = new Set(this.model.teams.map((team) => team.id));
    const present = new Map(this.model.all().map((project) => [project.id, project]));
    for (const [id, project] of this.known) {
      const now = present.get(id);
      const listed = teams.has(project.teamId) && this.model.projects(project.teamId) !== undefined;
      if ((now?.desiredState === 'DELETED') || (!now && listed)) this.mark(now ?? project);
      if (!now) this.known.delete(id);
    }
    for (const [id, project] of present) {
      if (project.desiredState === 'DELETED') this.mark(project);
      else this.known.set(id, project);
    }
  }

  private mark(project: Project): void {
    if (this.deleted.has(project.id)) return;
    this.deleted.set(project.id, project.name);
    this.known.delete(project.id);
    this.onDeleted(project);
  }

  dispose(): void {
    this.off();
  }
}
