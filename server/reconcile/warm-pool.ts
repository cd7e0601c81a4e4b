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

/**
 * At start: warm sandboxes of an older image are removed, and so are those beyond `size` (a server restarted with a smaller pool, or
 * with none, leaves no warm sandbox behind).
 */
export async function drainPool(ctx: ReconcileContext, size: number): Promise<void> {
  const drained = await ctx.sql.begin(async (tx) => {
    await tx`SELECT pg_advisory_xact_lock(hashtext('slipway.pool'))`;
    return tx<{ id: string }[]>`
      DELETE FROM sandboxes WHERE id IN (
        SELECT id FROM (
          SELECT id, image = ${ctx.config.sandboxImage} AS current,
            row_number() OVER (PARTITION BY image = ${ctx.config.sandboxImage} ORDER BY (state = 'RUNNING') DESC, created_at) AS n
          FROM sandboxes WHERE project_id IS NULL AND runtime = ${ctx.runtime.kind}
        ) pool WHERE NOT current OR n > ${Math.max(0, size)}
      ) AND project_id IS NULL
      RETURNING id`;
  });
  if (drained.length) ctx.log.info({ sandboxes: drained.length, size }, 'warm pool drained to its size');
  for (const { id } of drained) await ctx.runtime.remove(id).catch((err: unknown) => ctx.log.warn({ err, sandbox: id }, 'could not remove a drained warm sandbox'));
}
