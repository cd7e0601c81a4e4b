import type { ReconcileContext } from './reconcile-context';
import { scheduleRestart, setDegraded } from './health-store';
import { databaseClock, deletePoolSandbox, observedSandboxes, type ObservedSandbox as Known } from './sandbox-store';

/**
 * Compares what exists in the runtime with the database, and heals:
 * - containers and workspaces the database does not know (orphans of a crash, of deleted projects)
 *   are removed;
 * - a sandbox that exited, or whose daemon no longer answers, while its project should run is
 *   restarted, with backoff (the reconciler's next step starts it again);
 * - a sandbox that answers but cannot start processes makes its project DEGRADED (and RUNNING
 *   again once it can);
 * - every healthy one is watched (a stream to its daemon: its end is seen at once, see DaemonWatch);
 * - pool sandboxes that died, and half-made ones left by a crash, are removed.
 * Runs at start-up (adopting what an earlier process left) and then periodically, as pass `pass`.
 * A running sandbox whose daemon is watched needs no check to be known alive: it is health-checked
 * (the process-start probe included) on one pass in `reconcile.probeEvery`, its share chosen by its
 * id, so a pass over 500 sandboxes checks a sixth of them instead of all at once. Without `pass`
 * (at start-up) every one is checked.
 */
export async function observe(ctx: ReconcileContext, pass?: number): Promise<void> {
  // Rows are read after the listing (a sandbox is written before it is made, so nothing made is an
  // orphan), but a row written after the listing began (a warm sandbox marked RUNNING as its pod
  // came up) is judged on the next pass, not against a listing older than it.
  const listedAt = await databaseClock(ctx.sql);
  const actual = await ctx.runtime.list(ctx.installation);
  const rows = await observedSandboxes(ctx.sql, ctx.runtime.kind, listedAt);
  const known = new Map(rows.map((r) => [r.id, r]));

  const orphans = new Set([...actual.sandboxes.map((s) => s.id), ...actual.workspaces, ...(actual.databases ?? [])].filter((id) => !known.has(id)));
  for (const id of orphans) {
    ctx.log.info({ sandbox: id }, 'removing an orphan sandbox');
    await ctx.runtime.remove(id).catch((err: unknown) => ctx.log.warn({ err, sandbox: id }, 'orphan removal failed'));
  }

  const running = new Map(actual.sandboxes.map((s) => [s.id, s.state]));
  const databases = new Map(actual.sandboxes.map((s) => [s.id, s.database]));
  for (const row of rows) {
    if (row.projectId !== null || !row.settled) continue;
    const stale = row.state === 'PENDING' && Number(row.createdAgoMs) > 120_000;
    if ((row.state === 'RUNNING' && running.get(row.id) !== 'running') || stale) await dropPoolSandbox(ctx, row.id);
  }
  // Health checks of running projects' sandboxes go in parallel: one slow daemon delays no other.
  const live = rows.filter((r) => r.projectId !== null && r.settled && r.desiredState === 'RUNNING' && (r.projectStatus === 'RUNNING' || r.projectStatus === 'DEGRADED'));
  const due = (row: Known) => pass === undefined || row.projectStatus !== 'RUNNING' || !row.address || !ctx.watch.isOpen(row.id, row.address)
    || shareOf(row.id, ctx.config.reconcile.probeEvery) === pass % ctx.config.reconcile.probeEvery;
  await Promise.all(live.map((row) => {
    const alive = running.get(row.id) === 'running';
    const database = databases.get(row.id);
    // A database that is down shows in the listing: checked on every pass, like a sandbox that is.
    return !alive || (row.databaseRunning && database !== 'running') || due(row) ? heal(ctx, row, alive, database) : undefined;
  }));
}

/** Which of `every` passes checks this sandbox: from the random tail of its UUID, so shares are even. */
export const shareOf = (id: string, every: number): number => Number.parseInt(id.replace(/-/g, '').slice(-8), 16) % every;

async function heal(ctx: ReconcileContext, row: Known, alive: boolean, database: string | undefined): Promise<void> {
  const health = alive && row.address ? await checkHealth(ctx, row.id, row.address) : undefined;
  // A database the project has that stopped (crashed, killed): the sandbox restarts, and it with it.
  const databaseDown = Boolean(health) && row.databaseRunning && database !== 'running';
  if (!health || databaseDown) {
    const why = databaseDown ? await ctx.runtime.diagnoseDatabase?.(row.id) ?? 'its database stopped'
      : alive ? 'its daemon stopped answering' : await ctx.runtime.diagnose(row.id);
    ctx.log.warn({ sandbox: row.id, projectId: row.projectId, why }, 'sandbox unhealthy: restarting');
    ctx.watch.unwatch(row.id);
    // Only if what was checked is still the sandbox's daemon (another server may have replaced it).
    if (await scheduleRestart(ctx.sql, row.id, row.address, why)) ctx.daemons.markDown(row.id, why);
    return;
  }
  ctx.daemons.markUp(row.id);
  ctx.watch.watch(row.id, row.address!);
  const problem = health.processes?.ok === false ? health.processes.error ?? 'no process can be started' : null;
  if (problem && row.projectStatus === 'RUNNING') ctx.log.warn({ sandbox: row.id, projectId: row.projectId, why: problem }, 'sandbox degraded');
  if (Boolean(problem) !== (row.projectStatus === 'DEGRADED')) await setDegraded(ctx.sql, row.id, problem);
}

/** The daemon's health, with a process-start probe; undefined if it does not answer (twice). */
async function checkHealth(ctx: ReconcileContext, id: string, address: string) {
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      return await ctx.daemons.get(id, address).call('health', { probe: true }, { timeoutMs: 5000 });
    } catch {
      /* one more try: a busy daemon may be slow once */
    }
  }
  return undefined;
}

async function dropPoolSandbox(ctx: ReconcileContext, id: string): Promise<void> {
  if (!(await deletePoolSandbox(ctx.sql, id))) return; // claimed meanwhile
  await ctx.runtime.remove(id).catch((err: unknown) => ctx.log.warn({ err, sandbox: id }, 'pool sandbox removal failed'));
  ctx.daemons.forget(id);
}
