import type { Me } from '../../protocol/rest/auth';
import type { Project } from '../../protocol/rest/projects';

export type Team = Me['teams'][number];

/**
 * What the Projects view shows: the user's teams and each team's projects, kept current from
 * subscription snapshots and `project.updated` pushes. Older versions never overwrite newer ones.
 */
export class ProjectsModel {
  private teamList: Team[] = [];
  private readonly byTeam = new Map<string, Map<string, Project>>();
  private readonly listeners = new Set<() => void>();
  /** Why the list could not be loaded, shown instead of it. */
  problem: string | undefined;

  get teams(): readonly Team[] {
    return this.teamList;
  }

  setTeams(teams: Team[]): void {
    this.teamList = [...teams].sort((a, b) => a.name.localeCompare(b.name));
    for (const id of [...this.byTeam.keys()]) if (!teams.some((t) => t.id === id)) this.byTeam.delete(id);
    this.problem = undefined;
    this.emit();
  }

  /** A full snapshot of one team's projects (from `projects.subscribe`). */
  setProjects(teamId: string, projects: Project[]): void {
    const map = new Map<string, Project>();
    for (const project of projects) if (!isGone(project)) map.set(project.id, project);
    this.byTeam.set(teamId, map);
    this.emit();
  }

  /** One pushed change; returns false when it was stale or for a team not shown. */
  apply(project: Project): boolean {
    const map = this.byTeam.get(project.teamId);
    if (!map) return false;
    const known = map.get(project.id);
    if (known && known.version > project.version) return false;
    const sameDatabase = known?.database?.status === project.database?.status && known?.database?.statusMessage === project.database?.statusMessage;
    if (known && known.version === project.version && known.updatedAt === project.updatedAt && known.status === project.status && sameDatabase) return false;
    if (isGone(project)) map.delete(project.id);
    else map.set(project.id, project);
    this.emit();
    return true;
  }

  /** Newest first. `undefined` while the team's list has not arrived yet. */
  projects(teamId: string): Project[] | undefined {
    const map = this.byTeam.get(teamId);
    return map && [...map.values()].sort((a, b) => b.createdAt.localeCompare(a.createdAt) || a.name.localeCompare(b.name));
  }

  find(projectId: string): Project | undefined {
    for (const map of this.byTeam.values()) {
      const project = map.get(projectId);
      if (project) return project;
    }
    return undefined;
  }

  all(): Project[] {
    return this.teamList.flatMap((team) => this.projects(team.id) ?? []);
  }

  clear(problem?: string): void {
    this.teamList = [];
    this.byTeam.clear();
    this.problem = problem;
    this.emit();
  }

  onChange(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private emit(): void {
    for (const listener of [...this.listeners]) listener();
  }
}

/** A deleted project whose sandbox is gone: nothing left to show. */
const isGone = (project: Project): boolean => project.desiredState === 'DELETED' && project.status === 'TERMINATED';
