import type { Project } from '../../protocol/rest/projects';

/** How a project's database looks in the tree (icons are codicon ids), independent of the VS Code API. */
export interface DatabaseLook {
  label: string;
  description: string;
  tooltip: string;
  icon: string;
  color?: string;
  /** For `view/item/context` menus: `database db-status-RUNNING db-sandbox-running`. */
  contextValue: string;
}

const label = (value: string): string => value.charAt(0) + value.slice(1).toLowerCase();

/** Undefined when the project has no database. */
export function databaseLook(project: Project): DatabaseLook | undefined {
  const database = project.database;
  if (!database) return undefined;
  const status = database.status === 'TERMINATING' ? 'Removing' : label(database.status);
  const description = database.status === 'ERROR' && database.statusMessage ? `Error: ${database.statusMessage}` : status;
  const tooltip = [
    `PostgreSQL of ${project.name}`,
    `Status: ${status}${database.statusMessage ? ` — ${database.statusMessage}` : ''}`,
    'In the sandbox: DATABASE_URL, PGHOST, PGPORT, PGUSER, PGPASSWORD, PGDATABASE (psql works as is)',
  ].join('\n');
  // Terminals, dumps and restores need the sandbox (they run in it).
  const usable = project.desiredState === 'RUNNING' && database.status !== 'TERMINATING';
  const contextValue = `database db-status-${database.status}${usable ? ' db-sandbox-running' : ''}`;
  const base = { label: 'PostgreSQL', description, tooltip, contextValue };
  if (database.status === 'ERROR') return { ...base, icon: 'error', color: 'errorForeground' };
  if (database.status === 'RUNNING') return { ...base, icon: 'database', color: 'testing.iconPassed' };
  if (database.status === 'STOPPED') return { ...base, icon: 'database' };
  return { ...base, icon: 'loading~spin' };
}
