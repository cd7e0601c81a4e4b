import type { ProjectStatus } from '../../protocol/rest/projects';
import type { Sql } from '../db/database';
import { notifyProjectChanged } from '../events/project-events';
import { PROJECT_COLUMNS, type ProjectRow } from '../projects/project-store';

export interface ClaimedProject extends ProjectRow {
  envVersion: number;
  attempts: number;
}

/**
 * Claims up to `limit` projects whose status has not reached their desired state (or whose sandbox
 * lags behind on environment variables, or whose database has not), for `leaseSeconds`. A lease that expired — its holder died —
 * is taken over. SKIP LOCKED keeps two processes from claiming the same project.
 */
export async function claimProjects(sql: Sql, worker: string, leaseSeconds: number, limit: number, only?: string[]): Promise<ClaimedProject[]> {
  if (limit <= 0) return [];
  return sql<ClaimedProject[]>`
    UPDATE projects SET locked_by = ${worker}, locked_until = now() + make_interval(secs => ${leaseSeconds})
    WHERE id IN (
      SELECT p.id FROM projects p
      WHERE p.status <> 'TERMINATED' AND p.next_attempt_at <= now()
        AND (p.locked_until IS NULL OR p.locked_until < now())
        ${only ? sql`AND p.id = ANY(${only}::uuid[])` : sql``}
        AND NOT (
          ((p.desired_state = 'RUNNING' AND p.status IN ('RUNNING', 'DEGRADED')
            AND NOT EXISTS (SELECT 1 FROM sandboxes s WHERE s.project_id = p.id AND s.env_version < p.env_version))
          OR (p.desired_state = 'STOPPED' AND p.status = 'STOPPED'))
          -- …and its database, if it has one, settled too (running or stopped with it; none to remove).
          AND NOT EXISTS (SELECT 1 FROM project_databases d WHERE d.project_id = p.id
            AND (d.desired = 'ABSENT' OR d.status <> (CASE p.desired_state WHEN 'RUNNING' THEN 'RUNNING' ELSE 'STOPPED' END))))
      ORDER BY p.next_attempt_at LIMIT ${limit}
      FOR UPDATE SKIP LOCKED)
    RETURNING ${sql.unsafe(PROJECT_COLUMNS)}, env_version, attempts`;
}

export interface StatusChange {
  status: ProjectStatus;
  message?: string | null;
  /** Success resets attempts; failure counts one and schedules the retry. */
  outcome?: { ok: true } | { ok: false; retryInMs: number };
  release?: boolean;
}

/**
 * Writes a status only while this worker still holds the lease (fencing): a worker that stalled past
 * its lease learns it lost the project and stops. Listeners are told.
 */
export async function setStatus(sql: Sql, worker: string, project: { id: string; teamId: string }, change: StatusChange): Promise<boolean> {
  const outcome = change.outcome;
  const [row] = await sql`
    UPDATE projects SET
      status = ${change.status},
      status_message = ${change.message === undefined ? sql`status_message` : change.message},
      attempts = ${outcome ? (outcome.ok ? 0 : sql`attempts + 1`) : sql`attempts`},
      next_attempt_at = ${outcome && !outcome.ok ? sql`now() + make_interval(secs => ${outcome.retryInMs / 1000})` : sql`next_attempt_at`},
      locked_by = ${change.release ? null : sql`locked_by`},
      locked_until = ${change.release ? null : sql`locked_until`},
      updated_at = now()
    WHERE id = ${project.id} AND locked_by = ${worker}
    RETURNING id`;
  if (row) await notifyProjectChanged(sql, { projectId: project.id, teamId: project.teamId });
  return Boolean(row);
}

/** Extends the lease during a long step. False if it was lost. */
export async function renewLease(sql: Sql, worker: string, projectId: string, leaseSeconds: number): Promise<boolean> {
  const [row] = await sql`
    UPDATE projects SET locked_until = now() + make_interval(secs => ${leaseSeconds})
    WHERE id = ${projectId} AND locked_by = ${worker} RETURNING id`;
  return Boolean(row);
}

export async function releaseLease(sql: Sql, worker: string, projectId: string): Promise<void> {
  await sql`UPDATE projects SET locked_by = NULL, locked_until = NULL WHERE id = ${projectId} AND locked_by = ${worker}`;
}

/** Every project in ERROR is tried again at once (the sandbox image it waited for was built). */
export async function retryErroredProjects(sql: Sql): Promise<void> {
  await sql`UPDATE projects SET next_attempt_at = now(), attempts = 0 WHERE status = 'ERROR'`;
}
