import type { Project, ProjectStatus } from '../../protocol/rest/projects';

/** How a project looks in the tree, independent of the VS Code API (icons are codicon ids). */
export interface ProjectLook {
  description: string;
  tooltip: string;
  icon: string;
  /** A theme colour id for the icon, if any. */
  color?: string;
  /** For `view/item/context` menus: `project desired-RUNNING status-ERROR database-no`. */
  contextValue: string;
}

const TRANSITIONAL: ReadonlySet<ProjectStatus> = new Set(['CREATING', 'STARTING', 'STOPPING', 'TERMINATING']);

const label = (value: string): string => value.charAt(0) + value.slice(1).toLowerCase();

/** What the status is heading to, when the desired state is not reached yet. */
function target(project: Project): string | undefined {
  const reached =
    (project.desiredState === 'RUNNING' && (project.status === 'RUNNING' || project.status === 'DEGRADED')) ||
    (project.desiredState === 'STOPPED' && project.status === 'STOPPED') ||
    (project.desiredState === 'DELETED' && project.status === 'TERMINATED');
  if (reached || project.status === 'ERROR') return undefined;
  return project.desiredState === 'DELETED' ? 'Deleted' : label(project.desiredState);
}

export function projectLook(project: Project): ProjectLook {
  const status = label(project.status);
  const heading = target(project);
  let description = heading ? `${status} → ${heading}` : status;
  if (project.status === 'ERROR' && project.statusMessage) description = `Error: ${project.statusMessage}`;
  if (project.status === 'DEGRADED') description = `Degraded: ${project.statusMessage ?? 'the sandbox cannot start processes'}`;
  const lines = [
    `${project.name} (${project.slug})`,
    `Status: ${status}${project.statusMessage ? ` — ${project.statusMessage}` : ''}`,
    `Wanted: ${label(project.desiredState)}`,
    `Template: ${project.template}`,
  ];
  const contextValue = `project desired-${project.desiredState} status-${project.status} database-${project.database ? 'yes' : 'no'}`;
  const base = { description, tooltip: lines.join('\n'), contextValue };
  if (project.status === 'ERROR') return { ...base, icon: 'error', color: 'errorForeground' };
  if (project.status === 'DEGRADED') return { ...base, icon: 'warning', color: 'editorWarning.foreground' };
  if (project.status === 'PARTIAL') return { ...base, icon: 'warning', color: 'editorWarning.foreground' };
  if (TRANSITIONAL.has(project.status)) return { ...base, icon: 'loading~spin' };
  if (project.status === 'RUNNING') return { ...base, icon: 'vm-running', color: 'testing.iconPassed' };
  return { ...base, icon: 'vm-outline' };
}
