import type { Sql, Tx } from '../db/database';
import { notifyProjectChanged } from '../events/project-events';
import { backoffMs } from './backoff';

/**
 * The store of how a running project's status follows its sandbox's health, outside the reconciler's leases
 * (these only ever move a project away from RUNNING/DEGRADED, and the reconciler takes it from there).
 */

/**
 * The sandbox of a project that should run is gone or stuck: the project leaves RUNNING at once
 * (STARTING, with why), the sandbox is marked STOPPED (the next step stops what is left and starts
 * it again), after a backoff that grows with its restarts. False if the project was not running.
 *
 * Fenced by the daemon's address: a loss seen of a daemon the sandbox no longer runs (another server
 * process replaced it meanwhile, e.g. a stop and start) is stale and changes nothing.
 */
export async function scheduleRestart(sql: Sql, sandboxId: string, address: string | null, why: string): Promise<boolean> {
  return sql.begin(async (tx) => {
    const [row] = await tx<{ projectId: string; teamId: string; restarts: number }[]>`
      SELECT s.project_id, p.team_id, s.restarts FROM sandboxes s JOIN projects p ON p.id = s.project_id
      WHERE s.id = ${sandboxId} AND s.state = 'RUNNING' AND s.address IS NOT DISTINCT FROM ${address}
        AND p.desired_state = 'RUNNING' AND p.status IN ('RUNNING', 'DEGRADED')
      FOR UPDATE OF s, p`;
    if (!row) return false;
    const delayMs = backoffMs(row.restarts + 1, { baseMs: 500, maxMs: 60_000 });
    await tx`
      UPDATE projects SET status = 'STARTING', status_message = ${`restarting: ${why}`.slice(0, 2000)},
        next_attempt_at = now() + make_interval(secs => ${delayMs / 1000}), updated_at = now()
      WHERE id = ${row.projectId}`;
    await tx`UPDATE sandboxes SET state = 'STOPPED', restarts = restarts + 1, updated_at = now() WHERE id = ${sandboxId}`;
    await notifyProjectChanged(tx, { projectId: row.projectId, teamId: row.teamId });
    return true;
  });
}

/** RUNNING <-> DEGRADED: whether the sandbox can start processes (`problem` says why not). */
export async function setDegraded(sql: Sql, sandboxId: string, problem: string | null): Promise<void> {
  const [from, to] = problem ? ['RUNNING', 'DEGRADED'] : ['DEGRADED', 'RUNNING'];
  const message = problem ? `${problem}; restart the sandbox`.slice(0, 2000) : null;
  const [row] = await sql<{ id: string; teamId: string }[]>`
    UPDATE projects p SET status = ${to}, status_message = ${message}, updated_at = now()
    FROM sandboxes s WHERE s.id = ${sandboxId} AND p.id = s.project_id AND p.status = ${from} AND p.desired_state = 'RUNNING'
    RETURNING p.id, p.team_id`;
  if (row) await notifyProjectChanged(sql, { projectId: row.id, teamId: row.teamId });
}

/**
 * A member asked for a restart: the sandbox is stopped and started again by the reconciler, its
 * workspace kept. The project reads STARTING at once. False if the project is not meant to run.
 */
export async function requestRestart(tx: Tx, projectId: string): Promise<boolean> {
  await tx`UPDATE sandboxes SET state = 'STOPPED', updated_at = now() WHERE project_id = ${projectId} AND state <> 'REMOVING'`;
  const [row] = await tx`
    UPDATE projects SET status = 'STARTING', status_message = 'restarting on request', attempts = 0,
      next_attempt_at = now(), version = version + 1, updated_at = now(),
      locked_by = NULL, locked_until = NULL -- a step in flight loses its lease and gives way
    WHERE id = ${projectId} AND desired_state = 'RUNNING' RETURNING id`;
  return Boolean(row);
}
