import { AppError } from '../errors';
import { deleteProjectLeftovers } from '../projects/project-source-store';
import { projectEnvironment } from '../projects/env-handlers';
import { SandboxFailure } from '../runtime/runtime';
import { waitForDaemon } from '../runtime/daemon-connections';
import { backoffMs } from './backoff';
import { renewLease, setStatus, type ClaimedProject } from './lease-store';
import { DAEMON_READY_MS, limitsFor, sameLimits, specFor, type ReconcileContext } from './reconcile-context';
import { claimFromPool, deleteSandbox, insertSandbox, markSandbox, sandboxOfProject, type SandboxRow } from './sandbox-store';
import { seedWorkspace } from './seed-workspace';
import { cloneGitSource } from '../git/clone-source';

class LeaseLost extends AppError {
  constructor() {
    super('conflict', 'another worker took over this project', { reason: 'lease_lost' });
  }
}

/**
 * One idempotent step that moves a claimed project to its desired state. Every action can be
 * repeated after a crash at any point: sandboxes are found by id, creation and removal tolerate
 * "already done", and seeding and variables are re-applied until recorded as done.
 */
export async function driveProject(ctx: ReconcileContext, project: ClaimedProject): Promise<void> {
  const status = async (change: Parameters<typeof setStatus>[3]) => {
    if (!(await setStatus(ctx.sql, ctx.worker, project, change))) throw new LeaseLost();
  };
  // Long steps keep their lease; a process that dies stops renewing and another takes over.
  const timer = ctx.metrics.reconcileSteps.startTimer({ desired: project.desiredState });
  let outcome = 'ok';
  const leaseSeconds = ctx.config.reconcile.leaseSeconds;
  const renew = setInterval(() => void renewLease(ctx.sql, ctx.worker, project.id, leaseSeconds).catch(() => {}), (leaseSeconds * 1000) / 3);
  try {
    if (project.desiredState === 'DELETED') await terminate(ctx, project, status);
    else if (project.desiredState === 'STOPPED') await stop(ctx, project, status);
    else await run(ctx, project, status);
  } catch (error) {
    outcome = error instanceof LeaseLost ? 'lease_lost' : 'error';
    if (error instanceof LeaseLost) return;
    const sandbox = await sandboxOfProject(ctx.sql, project.id).catch(() => undefined);
    const message = error instanceof SandboxFailure ? error.message
      : sandbox ? await ctx.runtime.diagnose(sandbox.id).catch(() => 'the sandbox failed')
      : 'the sandbox could not be prepared';
    ctx.log.warn({ err: error, projectId: project.id }, 'reconcile step failed');
    await setStatus(ctx.sql, ctx.worker, project, {
      status: 'ERROR', message, release: true,
      outcome: { ok: false, retryInMs: backoffMs(project.attempts + 1) },
    });
  } finally {
    clearInterval(renew);
    timer({ outcome });
  }
}

type SetStatus = (change: Parameters<typeof setStatus>[3]) => Promise<void>;

async function run(ctx: ReconcileContext, project: ClaimedProject, status: SetStatus): Promise<void> {
  ctx.stages.mark(project.id, 'claimed');
  let sandbox = await sandboxOfProject(ctx.sql, project.id);
  const limits = await limitsFor(ctx, project.teamId);
  let warm = false;
  let adopted: Promise<void> | undefined;
  if (!sandbox) {
    // Pool sandboxes run with the default limits: a team with its own starts a fresh one.
    if (sameLimits(limits, ctx.config.sandboxLimits)) sandbox = await claimFromPool(ctx.sql, project.id, ctx.runtime.kind, ctx.config.sandboxImage);
    warm = Boolean(sandbox?.address);
    // Relabelling (Kubernetes) runs beside the health check and seeding, and is done before RUNNING.
    if (warm) adopted = ctx.runtime.adopt?.(sandbox!.id, specFor(ctx, sandbox!.id, { projectId: project.id, teamId: project.teamId }).labels);
    adopted?.catch(() => {}); // awaited below; not unhandled meanwhile
    sandbox ??= await insertSandbox(ctx.sql, { projectId: project.id, runtime: ctx.runtime.kind, image: ctx.config.sandboxImage });
  }
  // A running project here only needs its variables pushed: no status flicker for that.
  if (project.status !== 'CREATING' && project.status !== 'RUNNING') await status({ status: 'STARTING', message: project.status === 'STARTING' ? undefined : null });
  // Starting may replace the container (new image or limits): that is no crash. Watched again below.
  ctx.watch.unwatch(sandbox.id);
  // Stopped, or to be restarted (it died, it is degraded, a member asked): what is left goes first.
  if (sandbox.state === 'STOPPED') await ctx.runtime.stop(sandbox.id);
  ctx.stages.mark(project.id, 'recorded');
  // A sandbox just taken from the pool is running already (the health check below confirms it).
  const address = warm && sandbox.address ? sandbox.address
    : (await ctx.runtime.start(specFor(ctx, sandbox.id, { projectId: project.id, teamId: project.teamId }, limits))).address;
  ctx.stages.mark(project.id, 'started');
  if (address !== sandbox.address || sandbox.state !== 'RUNNING') await markSandbox(ctx.sql, sandbox.id, { address, state: 'RUNNING' });
  const client = ctx.daemons.get(sandbox.id, address);
  await waitForDaemon(client, DAEMON_READY_MS);
  ctx.stages.mark(project.id, 'daemon');
  await prepareWorkspace(ctx, project, sandbox, client, status);
  await adopted;
  ctx.daemons.markUp(sandbox.id);
  ctx.stages.mark(project.id, 'prepared');
  await status({ status: 'RUNNING', message: null, outcome: { ok: true }, release: true });
  ctx.stages.mark(project.id, 'running');
  ctx.watch.watch(sandbox.id, address);
}

async function prepareWorkspace(ctx: ReconcileContext, project: ClaimedProject, sandbox: SandboxRow, client: ReturnType<ReconcileContext['daemons']['get']>, status: SetStatus): Promise<void> {
  if (!sandbox.seeded && project.template === 'git') {
    let shown = 0;
    const phase = project.status === 'CREATING' ? 'CREATING' : 'STARTING';
    await cloneGitSource(ctx, client, project.id, (text) => {
      if (Date.now() - shown < 1000) return;
      shown = Date.now();
      void status({ status: phase, message: `Cloning: ${text}` }).catch(() => undefined);
    });
    await markSandbox(ctx.sql, sandbox.id, { seeded: true });
  } else if (!sandbox.seeded) {
    await seedWorkspace({ sql: ctx.sql, templates: ctx.templates, limits: { entries: ctx.config.limits.zipEntries, unzippedBytes: ctx.config.limits.unzippedBytes } }, client, project);
    await markSandbox(ctx.sql, sandbox.id, { seeded: true });
  }
  // Always: a daemon that restarted has lost what it was given, and this is one small call.
  await client.call('env.set', { vars: await projectEnvironment(ctx, project.id) });
  if (sandbox.envVersion !== project.envVersion) await markSandbox(ctx.sql, sandbox.id, { envVersion: project.envVersion });
}

async function stop(ctx: ReconcileContext, project: ClaimedProject, status: SetStatus): Promise<void> {
  const sandbox = await sandboxOfProject(ctx.sql, project.id);
  if (sandbox) {
    await status({ status: 'STOPPING', message: null });
    ctx.watch.unwatch(sandbox.id);
    await ctx.runtime.stop(sandbox.id);
    await markSandbox(ctx.sql, sandbox.id, { state: 'STOPPED' });
  }
  await status({ status: 'STOPPED', message: null, outcome: { ok: true }, release: true });
}

async function terminate(ctx: ReconcileContext, project: ClaimedProject, status: SetStatus): Promise<void> {
  await status({ status: 'TERMINATING', message: null });
  const sandbox = await sandboxOfProject(ctx.sql, project.id);
  if (sandbox) {
    await markSandbox(ctx.sql, sandbox.id, { state: 'REMOVING' });
    ctx.watch.unwatch(sandbox.id);
    await ctx.runtime.remove(sandbox.id);
    ctx.daemons.forget(sandbox.id);
    await deleteSandbox(ctx.sql, sandbox.id);
  }
  await deleteProjectLeftovers(ctx.sql, project.id);
  await status({ status: 'TERMINATED', message: null, outcome: { ok: true }, release: true });
}
