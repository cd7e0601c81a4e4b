import assert from 'node:assert/strict';
import type { DaemonConnections } from '../runtime/daemon-connections';
import { waitFor } from '../testing/wait-for';
import { onDocker } from './lifecycle.suite';
import { observe, shareOf } from './observer';
import type { ReconcileContext } from './reconcile-context';
import { sandboxOfProject } from './sandbox-store';

/** The observer's context with the health checks it makes counted, and `probeEvery` set. */
function counting(ctx: ReconcileContext, probeEvery: number): { ctx: ReconcileContext; checks: string[] } {
  const checks: string[] = [];
  const daemons = Object.create(ctx.daemons) as DaemonConnections;
  daemons.get = (id, address) => {
    const client = ctx.daemons.get(id, address);
    return new Proxy(client, {
      get(target, key) {
        if (key !== 'call') return Reflect.get(target, key);
        return (method: string, ...rest: unknown[]) => {
          if (method === 'health') checks.push(id);
          return (target.call as (...args: unknown[]) => unknown)(method, ...rest);
        };
      },
    });
  };
  return { ctx: { ...ctx, daemons, config: { ...ctx.config, reconcile: { ...ctx.config.reconcile, probeEvery } } }, checks };
}

/**
 * At scale the observer's health checks were its cost: every pass checked every sandbox at once,
 * each check starting a process in it. A watched, healthy sandbox is now checked on its share of
 * the passes only; anything unwatched, degraded or not running is still checked on every pass.
 */
describe('observer health checks, on Docker', function () {
  this.timeout(120_000);
  // The server's own observer stays out of the way (it would re-watch a sandbox mid-test).
  const on = onDocker(() => ({ reconcile: { intervalMs: 100, observeMs: 600_000, leaseSeconds: 10, concurrency: 4 } }));

  it('checks a watched, running sandbox on one pass in probeEvery, and an unwatched one on every pass', async () => {
    const ctx = on.h.s.reconciler!.ctx;
    const project = await on.h.create({ template: 'empty' });
    await on.h.waitStatus(project.id, 'RUNNING');
    const sandbox = (await sandboxOfProject(ctx.sql, project.id))!;
    await waitFor(async () => ctx.watch.isOpen(sandbox.id, sandbox.address!), { what: 'the daemon watched' });

    const spread = counting(ctx, 3);
    for (let pass = 0; pass < 6; pass++) await observe(spread.ctx, pass);
    assert.deepEqual(spread.checks.filter((id) => id === sandbox.id).length, 2, 'two passes in six');
    const share = shareOf(sandbox.id, 3);
    const alone = counting(ctx, 3);
    await observe(alone.ctx, share + 3);
    assert.ok(alone.checks.includes(sandbox.id), 'its own share of the passes checks it');

    const startup = counting(ctx, 3);
    await observe(startup.ctx);
    assert.ok(startup.checks.includes(sandbox.id), 'the pass at start-up checks every sandbox');

    ctx.watch.unwatch(sandbox.id);
    const unwatched = counting(ctx, 3);
    await observe(unwatched.ctx, share + 1);
    assert.ok(unwatched.checks.includes(sandbox.id), 'a sandbox not watched is checked on every pass (and watched again)');
    await waitFor(async () => ctx.watch.isOpen(sandbox.id, sandbox.address!), { what: 'the daemon watched again' });
  });

  it('shares are even over random ids', () => {
    const counts = [0, 0, 0, 0, 0, 0];
    for (let i = 0; i < 6000; i++) counts[shareOf(crypto.randomUUID(), 6)]!++;
    for (const n of counts) assert.ok(n > 800 && n < 1200, `shares: ${counts.join(', ')}`);
  });
});
