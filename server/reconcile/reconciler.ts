import { hostname } from 'node:os';
import { randomBytes } from 'node:crypto';
import { PROJECT_CHANNEL, parseProjectChange } from '../events/project-events';
import { driveProject } from './drive-project';
import { observe } from './observer';
import { claimProjects, releaseLease, retryErroredProjects } from './lease-store';
import type { ReconcileContext } from './reconcile-context';
import { DaemonWatch } from './daemon-watch';
import { StageClock } from './stage-clock';
import { scheduleRestart } from './health-store';
import { installationId } from './sandbox-store';
import { drainPool, refillPool } from './warm-pool';
import { DEFAULT_DATABASE_IMAGE } from '../runtime/database-env';
import { DEFAULT_IMAGE, buildDatabaseImage, buildSandboxImage } from '../runtime/image-builder';

export const workerName = () => `${hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`;

/**
 * The loop that makes sandboxes match what the database asks for. The API only writes desired
 * states; this claims projects with leases (so any number of server processes can run it), drives
 * each one step, and wakes at once when a project changes (NOTIFY) or on a timer. Another timer
 * observes the runtime to heal crashed sandboxes and remove orphans, and the warm pool is refilled.
 */
export class Reconciler {
  private readonly inflight = new Map<string, Promise<void>>();
  private timers: NodeJS.Timeout[] = [];
  private unlisten: (() => Promise<void>) | undefined;
  private unwatch: (() => void) | undefined;
  /** One observation at a time; a request during one runs another right after. */
  private observing: Promise<void> | undefined;
  private observeAgain = false;
  /** Periodic observations so far (each checks its share of the watched sandboxes). */
  private passes = 0;
  private ticking: Promise<void> | undefined;
  /** Refilling starts containers (seconds): it runs beside the passes, never inside one. */
  private refilling: Promise<unknown> | undefined;
  private again = false;
  private stopped = false;

  constructor(readonly ctx: ReconcileContext) {}

  static async create(ctx: Omit<ReconcileContext, 'installation' | 'worker' | 'watch' | 'stages'>): Promise<Reconciler> {
    let reconciler: Reconciler | undefined;
    const watch = new DaemonWatch(ctx.daemons, (sandboxId, address, why) => reconciler?.daemonDown(sandboxId, address, why));
    reconciler = new Reconciler({ ...ctx, installation: await installationId(ctx.sql), worker: workerName(), watch, stages: new StageClock() });
    return reconciler;
  }

  /** A watched daemon went away: calls fail fast from now on, and the project leaves RUNNING at once. */
  private daemonDown(sandboxId: string, address: string, why: string): void {
    const { ctx } = this;
    if (this.stopped) return;
    // Fenced by address: the end of a daemon another server process has already replaced is no loss.
    scheduleRestart(ctx.sql, sandboxId, address, why).then((changed) => {
      if (!changed) return;
      ctx.daemons.markDown(sandboxId, why);
      ctx.log.warn({ sandbox: sandboxId, why }, 'sandbox daemon lost: restarting');
      this.wake();
    }).catch((err: unknown) => ctx.log.warn({ err, sandbox: sandboxId }, 'could not record a lost daemon'));
  }

  async start(): Promise<void> {
    const { ctx } = this;
    if (await ctx.runtime.hasImage(ctx.config.sandboxImage)) {
      // Sandboxes adopted from an earlier process are covered at once (starts apply it too).
      await ctx.runtime.prepare?.(ctx.config.sandboxImage).catch((err: unknown) => ctx.log.error({ err }, 'the sandbox network could not be prepared; sandboxes will not start until it is'));
    } else {
      if (ctx.runtime.kind === 'docker' && ctx.config.sandboxImage === DEFAULT_IMAGE && ctx.config.buildImage) {
        // Projects wait (with that message) until it is built, then the loop picks them up again.
        void buildSandboxImage(ctx.log).then(async (built) => {
          if (this.stopped) return;
          if (built) await retryErroredProjects(ctx.sql);
          this.wake();
        }).catch((err: unknown) => ctx.log.warn({ err }, 'after the image build'));
      } else {
        ctx.log.error({ image: ctx.config.sandboxImage }, `the sandbox image ${ctx.config.sandboxImage} is missing: build it with "npm run image"; projects will show this until then`);
      }
    }
    await this.buildDatabaseImage();
    await drainPool(ctx, ctx.config.warmPool);
    await observe(ctx).catch((err: unknown) => ctx.log.warn({ err }, 'initial observation failed'));
    const { unlisten } = await ctx.sql.listen(PROJECT_CHANNEL, (payload) => {
      if (parseProjectChange(payload)) this.wake();
    });
    this.unlisten = unlisten;
    this.timers.push(setInterval(() => this.wake(), ctx.config.reconcile.intervalMs));
    this.timers.push(setInterval(() => this.observeNow(), ctx.config.reconcile.observeMs));
    // A runtime that watches its sandboxes (Kubernetes) reports a death at once: heal without waiting for the timer.
    this.unwatch = ctx.runtime.onChange?.(() => this.observeNow());
    for (const timer of this.timers) timer.unref();
    this.wake();
  }

  /** A first start on Docker without the project database image builds it (after the sandbox image: one build at a time). */
  private async buildDatabaseImage(): Promise<void> {
    const { ctx } = this;
    if (ctx.runtime.kind !== 'docker' || !ctx.config.buildImage || ctx.config.databaseImage !== DEFAULT_DATABASE_IMAGE) return;
    if (await ctx.runtime.hasImage(ctx.config.databaseImage).catch(() => true)) return;
    void buildDatabaseImage(ctx.log).then(async (built) => {
      if (this.stopped) return;
      if (built) await retryErroredProjects(ctx.sql);
      this.wake();
    }).catch((err: unknown) => ctx.log.warn({ err }, 'after the database image build'));
  }

  /** Observes the runtime now, or right after the current observation. */
  observeNow(): void {
    if (this.stopped) return;
    if (this.observing) {
      this.observeAgain = true;
      return;
    }
    this.observing = observe(this.ctx, this.passes++).catch((err: unknown) => this.ctx.log.warn({ err }, 'observation failed')).finally(() => {
      this.observing = undefined;
      if (this.observeAgain) {
        this.observeAgain = false;
        this.observeNow();
      }
    });
  }

  /** Runs a pass now, or right after the current one. */
  wake(): void {
    if (this.stopped) return;
    if (this.ticking) {
      this.again = true;
      return;
    }
    this.ticking = this.tick().finally(() => {
      this.ticking = undefined;
      if (this.again) {
        this.again = false;
        this.wake();
      }
    });
  }

  private async tick(): Promise<void> {
    const { ctx } = this;
    try {
      const free = ctx.config.reconcile.concurrency - this.inflight.size;
      const claimed = await claimProjects(ctx.sql, ctx.worker, ctx.config.reconcile.leaseSeconds, free);
      for (const project of claimed) {
        if (this.inflight.has(project.id)) continue;
        if (this.stopped) {
          await releaseLease(ctx.sql, ctx.worker, project.id).catch(() => {});
          continue;
        }
        const work = driveProject(ctx, project)
          .catch((err: unknown) => ctx.log.error({ err, projectId: project.id }, 'reconcile failed'))
          .finally(() => {
            this.inflight.delete(project.id);
            this.wake();
          });
        this.inflight.set(project.id, work);
      }
      if (claimed.length === 0 && this.inflight.size === 0 && !this.refilling && !this.stopped && ctx.config.warmPool > 0) {
        this.refilling = refillPool(ctx, ctx.config.warmPool)
          .catch((err: unknown) => ctx.log.warn({ err }, 'warm pool refill failed'))
          .finally(() => { this.refilling = undefined; });
      }
    } catch (err) {
      ctx.log.warn({ err }, 'reconcile pass failed');
    }
  }

  /** Waits for in-flight steps (bounded) and releases leases, so another process takes over at once. */
  async stop(timeoutMs = 10_000): Promise<void> {
    this.stopped = true;
    this.ctx.watch.closeAll();
    for (const timer of this.timers) clearInterval(timer);
    this.unwatch?.();
    await this.unlisten?.().catch(() => {});
    // A pass under way may still start work: wait for it first, then for everything it started.
    const deadline = new Promise((r) => setTimeout(r, timeoutMs).unref());
    await Promise.race([this.ticking ?? Promise.resolve(), deadline]);
    const pending = [...this.inflight.values(), this.refilling ?? Promise.resolve()];
    await Promise.race([Promise.allSettled(pending), deadline]);
    for (const id of this.inflight.keys()) await releaseLease(this.ctx.sql, this.ctx.worker, id).catch(() => {});
  }
}
