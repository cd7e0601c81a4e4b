import { waitForDaemon } from '../runtime/daemon-connections';
import { DAEMON_READY_MS, specFor, type ReconcileContext } from './reconcile-context';
import { deletePoolSandbox, drainPoolSandboxes, markSandbox, reservePoolSandboxes } from './sandbox-store';

/**
 * Keeps `size` started, unassigned sandboxes of the current image, so a new project gets a running
 * sandbox in one database update instead of a container start. Rows are reserved under a lock, so
 * several server processes together keep the pool at its size, not a multiple of it.
 */
export async function refillPool(ctx: ReconcileContext, size: number): Promise<number> {
  if (size <= 0) return 0;
  // Only a pool that needs filling asks the runtime about the image (this runs on every idle pass).
  const reserved = await reservePoolSandboxes(ctx.sql, { runtime: ctx.runtime.kind, image: ctx.config.sandboxImage, size }, () => ctx.runtime.hasImage(ctx.config.sandboxImage));
  await Promise.all(reserved.map(async (row) => {
    try {
      const { address } = await ctx.runtime.start(specFor(ctx, row.id));
      const client = ctx.daemons.get(row.id, address);
      await waitForDaemon(client, DAEMON_READY_MS);
      await warmUp(client);
      await markSandbox(ctx.sql, row.id, { address, state: 'RUNNING' });
    } catch (err) {
      ctx.log.warn({ err, sandbox: row.id }, 'warm pool sandbox failed to start');
      await deletePoolSandbox(ctx.sql, row.id);
      await ctx.runtime.remove(row.id).catch(() => {});
    }
  }));
  return reserved.length;
}

/**
 * A daemon compiles its code as it first runs it: a pool sandbox runs once what a claim and a first
 * tool call run (a command, a stat, the variables), leaving nothing in the workspace, so the project
 * that takes it does not pay for that.
 */
async function warmUp(client: ReturnType<ReconcileContext['daemons']['get']>): Promise<void> {
  await Promise.all([client.call('exec.run', { command: ['true'] }), client.call('fs.stat', { path: '.' }), client.call('env.set', { vars: {} })]);
}

/**
 * At start: warm sandboxes of an older image are removed, and so are those beyond `size` (a server restarted with a smaller pool, or
 * with none, leaves no warm sandbox behind).
 */
export async function drainPool(ctx: ReconcileContext, size: number): Promise<void> {
  const drained = await drainPoolSandboxes(ctx.sql, { runtime: ctx.runtime.kind, image: ctx.config.sandboxImage, size });
  if (drained.length) ctx.log.info({ sandboxes: drained.length, size }, 'warm pool drained to its size');
  for (const { id } of drained) await ctx.runtime.remove(id).catch((err: unknown) => ctx.log.warn({ err, sandbox: id }, 'could not remove a drained warm sandbox'));
}
