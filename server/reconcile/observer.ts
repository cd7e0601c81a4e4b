import { notifyProjectChanged } from '../events/project-events';
import { backoffMs } from './backoff';
import type { ReconcileContext } from './reconcile-context';
import { markSandbox, type SandboxRow } from './sandbox-store';

interface Known extends SandboxRow {
  teamId: string | null;
  projectStatus: string | null;
  desiredState: string | null;
  createdAgoMs: number;
}

/**
 * Compares what exists in the runtime with the database, and heals:
 * - containers and workspaces the database does not know (orphans of a crash, of deleted projects)
 *   are removed;
 * - a sandbox that exited, or whose daemon no longer answers, while its project should run is
 *   restarted, with backoff (the reconciler's next step starts it again);
 * - pool sandboxes that died, and half-made ones left by a crash, are removed.
 * Runs at start-up (adopting what an earlier process left) and then periodically.
 */
export async function observe(ctx: ReconcileContext): Promise<void> {
  const actual = await ctx.runtime.list(ctx.installation);
  const rows = await ctx.sql<Known[]>`
    SELECT s.*, p.team_id, p.status AS project_status, p.desired_state,
           (extract(epoch FROM now() - s.created_at) * 1000)::bigint AS created_ago_ms
    FROM sandboxes s LEFT JOIN projects p ON p.id = s.project_id
    WHERE s.runtime = ${ctx.runtime.kind}`;
  const known = new Map(rows.map((r) => [r.id, r]));

  const orphans = new Set([...actual.sandboxes.map((s) => s.id), ...actual.workspaces].filter((id) => !known.has(id)));
  for (const id of orphans) {
    ctx.log.info({ sandbox: id }, 'removing an orphan sandbox');
    await ctx.runtime.remove(id).catch((err: unknown) => ctx.log.warn({ err, sandbox: id }, 'orphan removal failed'));
  }

  const running = new Map(actual.sandboxes.map((s) => [s.id, s.state]));
  for (const row of rows) {
    const alive = running.get(row.id) === 'running';
    if (row.projectId === null) {
      const stale = row.state === 'PENDING' && Number(row.createdAgoMs) > 120_000;
      if ((row.state === 'RUNNING' && !alive) || stale) await dropPoolSandbox(ctx, row.id);
      continue;
    }
    if (row.projectStatus !== 'RUNNING' || row.desiredState !== 'RUNNING') continue;
    const healthy = alive && row.address ? await answers(ctx, row.id, row.address) : false;
    if (!healthy) await restart(ctx, row, alive);
  }
}

async function answers(ctx: ReconcileContext, id: string, address: string): Promise<boolean> {
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      await ctx.daemons.get(id, address).call('health', {}, { timeoutMs: 2000 });
      return true;
    } catch {
      /* one more try: a busy daemon may be slow once */
    }
  }
  return false;
}

async function restart(ctx: ReconcileContext, row: Known, alive: boolean): Promise<void> {
  const why = alive ? 'its daemon stopped answering' : await ctx.runtime.diagnose(row.id);
  ctx.log.warn({ sandbox: row.id, projectId: row.projectId, why }, 'sandbox unhealthy: restarting');
  if (alive) await ctx.runtime.stop(row.id);
  await markSandbox(ctx.sql, row.id, { state: 'STOPPED', restarts: row.restarts + 1 });
  const [updated] = await ctx.sql`
    UPDATE projects SET status = 'STARTING', status_message = ${`restarting: ${why}`.slice(0, 2000)},
      next_attempt_at = now() + make_interval(secs => ${backoffMs(row.restarts + 1, { baseMs: 500, maxMs: 60_000 }) / 1000})
    WHERE id = ${row.projectId} AND status = 'RUNNING' AND desired_state = 'RUNNING' RETURNING id`;
  if (updated && row.teamId) await notifyProjectChanged(ctx.sql, { projectId: row.projectId!, teamId: row.teamId });
}

async function dropPoolSandbox(ctx: ReconcileContext, id: string): Promise<void> {
  const [gone] = await ctx.sql`DELETE FROM sandboxes WHERE id = ${id} AND project_id IS NULL RETURNING id`;
  if (!gone) return; // claimed meanwhile
  await ctx.runtime.remove(id).catch((err: unknown) => ctx.log.warn({ err, sandbox: id }, 'pool sandbox removal failed'));
  ctx.daemons.forget(id);
}

