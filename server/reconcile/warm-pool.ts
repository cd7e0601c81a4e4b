import { waitForDaemon } from '../runtime/daemon-connections';
import { DAEMON_READY_MS, specFor, type ReconcileContext } from './reconcile-context';
import { markSandbox, type SandboxRow } from './sandbox-store';

/**
 * Keeps `size` started, unassigned sandboxes of the current image, so a new project gets a running
 * sandbox in one database update instead of a container start. Rows are reserved under a lock, so
 * several server processes together keep the pool at its size, not a multiple of it.
 */
export async function refillPool(ctx: ReconcileContext, size: number): Promise<number> {
  if (size <= 0) return 0;
  const reserved: SandboxRow[] = await ctx.sql.begin(async (tx): Promise<SandboxRow[]> => {
    await tx`SELECT pg_advisory_xact_lock(hashtext('slipway.pool'))`;
    const [count] = await tx<{ n: number }[]>`
      SELECT count(*)::int AS n FROM sandboxes
      WHERE project_id IS NULL AND runtime = ${ctx.runtime.kind} AND image = ${ctx.config.sandboxImage}`;
    const missing = size - count!.n;
    // Only a pool that needs filling asks the runtime about the image (this runs on every idle pass).
    if (missing <= 0 || !(await ctx.runtime.hasImage(ctx.config.sandboxImage))) return [];
    return [...await tx<SandboxRow[]>`
      INSERT INTO sandboxes (project_id, runtime, image)
      SELECT NULL, ${ctx.runtime.kind}, ${ctx.config.sandboxImage} FROM generate_series(1, ${missing})
      RETURNING *`];
  });
  await Promise.all(reserved.map(async (row) => {
    try {
      const { address } = await ctx.runtime.start(specFor(ctx, row.id));
      await waitForDaemon(ctx.daemons.get(row.id, address), DAEMON_READY_MS);
      await markSandbox(ctx.sql, row.id, { address, state: 'RUNNING' });
    } catch (err) {
      ctx.log.warn({ err, sandbox: row.id }, 'warm pool sandbox failed to start');
      await ctx.sql`DELETE FROM sandboxes WHERE id = ${row.id} AND project_id IS NULL`;
      await ctx.runtime.remove(row.id).catch(() => {});
    }
  }));
  return reserved.length;
}

/** Pool sandboxes of an older image are replaced by new ones. */
export async function drainStalePool(ctx: ReconcileContext): Promise<void> {
  const stale = await ctx.sql<{ id: string }[]>`
    DELETE FROM sandboxes WHERE project_id IS NULL AND runtime = ${ctx.runtime.kind} AND image <> ${ctx.config.sandboxImage} RETURNING id`;
  for (const { id } of stale) await ctx.runtime.remove(id).catch(() => {});
}
