import type { Role } from '../../protocol/common';
import type { DesiredState, Project, ProjectDatabaseSummary, ProjectStatus } from '../../protocol/rest/projects';
import type { Sql, Tx } from '../db/database';
import { badRequest } from '../errors';

export interface ProjectRow {
  id: string;
  teamId: string;
  name: string;
  slug: string;
  template: string;
  desiredState: DesiredState;
  status: ProjectStatus;
  statusMessage: string | null;
  version: number;
  createdBy: string | null;
  createdAt: Date;
  updatedAt: Date;
  /** Its database's state (a JSON column: keys as written below), when it has one. */
  database: ProjectDatabaseSummary | null;
}

/** A project's columns, `table` naming the projects row (an alias, or `projects` in RETURNING). */
export const projectColumns = (table: string) =>
  ['id', 'team_id', 'name', 'slug', 'template', 'desired_state', 'status', 'status_message', 'version', 'created_by', 'created_at', 'updated_at'].map((c) => `${table}.${c}`).join(', ') +
  `, (SELECT json_build_object('status', d.status, 'statusMessage', d.status_message) FROM project_databases d WHERE d.project_id = ${table}.id) AS database`;
export const PROJECT_COLUMNS = projectColumns('projects');

export const toProject = (r: ProjectRow): Project => ({
  id: r.id, teamId: r.teamId, name: r.name, slug: r.slug, template: r.template,
  desiredState: r.desiredState, status: r.status, statusMessage: r.statusMessage, version: r.version,
  createdAt: r.createdAt.toISOString(), updatedAt: r.updatedAt.toISOString(),
  database: r.database ?? null,
});

/** The project and the user's role in its team; undefined when they are not in it or it does not exist. */
export async function projectWithRole(db: Sql | Tx, userId: string, projectId: string, lock = false): Promise<{ row: ProjectRow; role: Role } | undefined> {
  const [row] = await db<(ProjectRow & { role: Role })[]>`
    SELECT ${db.unsafe(projectColumns('p'))}, m.role
    FROM projects p JOIN memberships m ON m.team_id = p.team_id AND m.user_id = ${userId}
    WHERE p.id = ${projectId} AND p.status <> 'TERMINATED'
    ${lock ? db`FOR UPDATE OF p` : db``}`;
  if (!row) return undefined;
  const { role, ...project } = row;
  return { row: project, role };
}

export async function projectById(db: Sql | Tx, projectId: string): Promise<ProjectRow | undefined> {
  const [row] = await db<ProjectRow[]>`SELECT ${db.unsafe(PROJECT_COLUMNS)} FROM projects WHERE id = ${projectId}`;
  return row;
}

const encodeCursor = (r: ProjectRow) => Buffer.from(`${r.createdAt.toISOString()}|${r.id}`).toString('base64url');
function decodeCursor(cursor: string): { at: string; id: string } {
  const [at, id] = Buffer.from(cursor, 'base64url').toString('utf8').split('|');
  if (!at || !id || Number.isNaN(Date.parse(at)) || !/^[0-9a-f-]{36}$/.test(id)) throw badRequest('invalid cursor');
  return { at, id };
}

/** Newest first, keyset-paginated, only teams the user is in (optionally one of them). */
export async function listProjects(sql: Sql, userId: string, options: { teamId?: string; limit: number; cursor?: string }) {
  const after = options.cursor ? decodeCursor(options.cursor) : undefined;
  const rows = await sql<ProjectRow[]>`
    SELECT ${sql.unsafe(projectColumns('p'))}
    FROM projects p JOIN memberships m ON m.team_id = p.team_id AND m.user_id = ${userId}
    WHERE p.status <> 'TERMINATED'
      ${options.teamId ? sql`AND p.team_id = ${options.teamId}` : sql``}
      ${after ? sql`AND (p.created_at, p.id) < (${after.at}::timestamptz, ${after.id}::uuid)` : sql``}
    ORDER BY p.created_at DESC, p.id DESC
    LIMIT ${options.limit + 1}`;
  const items = rows.slice(0, options.limit);
  const last = items[items.length - 1];
  return { items: items.map(toProject), nextCursor: rows.length > options.limit && last ? encodeCursor(last) : null };
}

/** Inserts a project (status CREATING) with its desired state. */
export async function insertProject(tx: Tx, input: { teamId: string; name: string; slug: string; template: string; desired: DesiredState; createdBy: string }): Promise<ProjectRow> {
  const [row] = await tx<ProjectRow[]>`
    INSERT INTO projects (team_id, name, slug, template, desired_state, status, created_by)
    VALUES (${input.teamId}, ${input.name}, ${input.slug}, ${input.template}, ${input.desired}, 'CREATING', ${input.createdBy})
    RETURNING ${tx.unsafe(PROJECT_COLUMNS)}`;
  return row!;
}

/** Writes a new desired state (and name); a changed state is retried from now with no attempts. */
export async function updateDesiredState(tx: Tx, row: ProjectRow, desired: DesiredState, name: string): Promise<ProjectRow> {
  const stateChanged = desired !== row.desiredState;
  const [updated] = await tx<ProjectRow[]>`
    UPDATE projects SET desired_state = ${desired}, name = ${name}, version = version + 1, updated_at = now(),
      status = ${desired === 'DELETED' && row.status !== 'TERMINATED' ? 'TERMINATING' : row.status},
      attempts = ${stateChanged ? 0 : tx`attempts`}, next_attempt_at = ${stateChanged ? tx`now()` : tx`next_attempt_at`}
    WHERE id = ${row.id} RETURNING ${tx.unsafe(PROJECT_COLUMNS)}`;
  return updated!;
}

/** A project's name and slug (for the agent's prompt and preview links), and whether it has a database. */
export async function projectNames(db: Sql | Tx, projectId: string): Promise<{ name: string; slug: string; database: boolean } | undefined> {
  const [row] = await db<{ name: string; slug: string; database: boolean }[]>`
    SELECT name, slug, EXISTS (SELECT 1 FROM project_databases d WHERE d.project_id = p.id AND d.desired = 'PRESENT') AS database
    FROM projects p WHERE id = ${projectId}`;
  return row;
}

/** How many projects are in each status (the metrics gauge). */
export async function countProjectsByStatus(sql: Sql): Promise<{ status: string; n: number }[]> {
  return sql<{ status: string; n: number }[]>`SELECT status, count(*)::int AS n FROM projects GROUP BY status`;
}
