import { deleteProjectLeftovers } from '../projects/project-source-store';
import { projectEnvironment } from '../projects/env-handlers';
import { SandboxFailure, type SandboxSpec } from '../runtime/runtime';
import { databaseOfProject } from '../projects/database-store';
import { DatabaseFailure, LeaseLost, confirmDatabase, databaseFailed, databaseSpec, databaseStatus, removeUnwantedDatabase, withDatabase } from './drive-database';
import { waitForDaemon } from '../runtime/daemon-connections';
import { backoffMs } from './backoff';
import { renewLease, setStatus, type ClaimedProject } from './lease-store';
import { DAEMON_READY_MS, limitsFor, sameLimits, specFor, type ReconcileContext } from './reconcile-context';
import { claimFromPool, deleteSandbox, insertSandbox, markSandbox, sandboxOfProject, type SandboxRow } from './sandbox-store';
import { seedWorkspace } from './seed-workspace';
import { cloneGitSource } from '../git/clone-source';

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
    // The database's own failure is its status too (the sandbox's leaves it where it was).
    if (error instanceof DatabaseFailure) await databaseStatus(ctx, project, { status: 'ERROR', message }).catch(() => undefined);
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
  // Independent reads, at once: each is a round trip on the path of every start (a warm one included).
  const [found, limits, database] = await Promise.all([sandboxOfProject(ctx.sql, project.id), limitsFor(ctx, project.teamId), databaseOfProject(ctx.sql, project.id)]);
  let sandbox = found;
  const wanted = database?.desired === 'PRESENT' ? database : undefined;
  let warm = false;
  let adopted: Promise<void> | undefined;
  if (!sandbox) {
    // Pool sandboxes run with the default limits and no database: other projects start a fresh one.
    if (!wanted && sameLimits(limits, ctx.config.sandboxLimits)) sandbox = await claimFromPool(ctx.sql, project.id, ctx.runtime.kind, ctx.config.sandboxImage);
    warm = Boolean(sandbox?.address);
    // Relabelling (Kubernetes) runs beside the health check and seeding, and is done before RUNNING.
    if (warm) adopted = ctx.runtime.adopt?.(sandbox!.id, specFor(ctx, sandbox!.id, { projectId: project.id, teamId: project.teamId }).labels);
    adopted?.catch(() => {}); // awaited below; not unhandled meanwhile
    sandbox ??= await insertSandbox(ctx.sql, { projectId: project.id, runtime: ctx.runtime.kind, image: ctx.config.sandboxImage });
  }
  // A running project here only needs its variables pushed (or a database added): no flicker for that.
  const sandboxPhase = project.status === 'CREATING' || project.status === 'RUNNING' ? project.status : 'STARTING';
  const databasePhase = wanted && (wanted.status === 'CREATING' || (wanted.status === 'RUNNING' && sandboxPhase === 'RUNNING') ? wanted.status : 'STARTING');
  if (wanted && databasePhase && databasePhase !== wanted.status) await databaseStatus(ctx, project, { status: databasePhase, message: null });
  const phase = withDatabase(sandboxPhase, databasePhase);
  if (phase !== project.status) await status({ status: phase, message: project.status === 'STARTING' ? undefined : null });
  // Starting may replace the container (new image or limits): that is no crash. Watched again below.
  ctx.watch.unwatch(sandbox.id);
  // Turned off: it goes before the start (on Kubernetes its pod goes with it, and the start makes one without it).
  await removeUnwantedDatabase(ctx, project, database, sandbox.id);
  // Stopped, or to be restarted (it died, it is degraded, a member asked): what is left goes first.
  if (sandbox.state === 'STOPPED') await ctx.runtime.stop(sandbox.id);
  ctx.stages.mark(project.id, 'recorded');
  // A sandbox just taken from the pool is running already (the health check below confirms it).
  const spec = { ...specFor(ctx, sandbox.id, { projectId: project.id, teamId: project.teamId }, limits), ...(wanted && { database: databaseSpec(ctx, project, wanted, limits) }) };
  const address = warm && sandbox.address ? sandbox.address : await startSandbox(ctx, spec);
  ctx.stages.mark(project.id, 'started');
  if (address !== sandbox.address || sandbox.state !== 'RUNNING') await markSandbox(ctx.sql, sandbox.id, { address, state: 'RUNNING' });
  const client = ctx.daemons.get(sandbox.id, address);
  await waitForDaemon(client, DAEMON_READY_MS);
  ctx.stages.mark(project.id, 'daemon');
  await prepareWorkspace(ctx, project, sandbox, client, status);
  if (wanted) {
    const version = await confirmDatabase(client);
    if (databasePhase !== 'RUNNING' || wanted.statusMessage !== null || version !== wanted.version) await databaseStatus(ctx, project, { status: 'RUNNING', message: null, version });
  }
  await adopted;
  ctx.daemons.markUp(sandbox.id);
  ctx.stages.mark(project.id, 'prepared');
  await status({ status: 'RUNNING', message: null, outcome: { ok: true }, release: true });
  ctx.stages.mark(project.id, 'running');
  ctx.watch.watch(sandbox.id, address);
}

/** Starts the sandbox (and its database); a database that does not come up is the database's failure. */
async function startSandbox(ctx: ReconcileContext, spec: SandboxSpec): Promise<string> {
  try {
    return (await ctx.runtime.start(spec)).address;
  } catch (error) {
    if (spec.database && error instanceof SandboxFailure && !(error instanceof DatabaseFailure) && await databaseFailed(ctx, spec.id)) {
      throw new DatabaseFailure(error.message);
    }
    throw error;
  }
}

async function prepareWorkspace(ctx: ReconcileContext, project: ClaimedProject, sandbox: SandboxRow, client: ReturnType<ReconcileContext['daemons']['get']>, status: SetStatus): Promise<void> {
  // The first files and the variables are independent: both at once.
  await Promise.all([seed(ctx, project, sandbox, client, status), pushEnvironment(ctx, project, sandbox, client)]);
}

async function seed(ctx: ReconcileContext, project: ClaimedProject, sandbox: SandboxRow, client: ReturnType<ReconcileContext['daemons']['get']>, status: SetStatus): Promise<void> {
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
}

async function pushEnvironment(ctx: ReconcileContext, project: ClaimedProject, sandbox: SandboxRow, client: ReturnType<ReconcileContext['daemons']['get']>): Promise<void> {
  // Always: a daemon that restarted has lost what it was given, and this is one small call.
  await client.call('env.set', { vars: await projectEnvironment(ctx, project.id) });
  if (sandbox.envVersion !== project.envVersion) await markSandbox(ctx.sql, sandbox.id, { envVersion: project.envVersion });
}

async function stop(ctx: ReconcileContext, project: ClaimedProject, status: SetStatus): Promise<void> {
  const sandbox = await sandboxOfProject(ctx.sql, project.id);
  const database = await databaseOfProject(ctx.sql, project.id);
  const wanted = database?.desired === 'PRESENT' ? database : undefined;
  if (sandbox) {
    await status({ status: 'STOPPING', message: null });
    if (wanted && wanted.status !== 'STOPPED') await databaseStatus(ctx, project, { status: 'STOPPING', message: null });
    ctx.watch.unwatch(sandbox.id);
    await ctx.runtime.stop(sandbox.id);
    await markSandbox(ctx.sql, sandbox.id, { state: 'STOPPED' });
  }
  await removeUnwantedDatabase(ctx, project, database, sandbox?.id);
  if (wanted && wanted.status !== 'STOPPED') await databaseStatus(ctx, project, { status: 'STOPPED', message: null });
  await status({ status: 'STOPPED', message: null, outcome: { ok: true }, release: true });
}

async function terminate(ctx: ReconcileContext, project: ClaimedProject, status: SetStatus): Promise<void> {
  await status({ status: 'TERMINATING', message: null });
  // The runtime removes the database (container and volume) with the sandbox; its row goes with the leftovers.
  if (project.database && project.database.status !== 'TERMINATING') await databaseStatus(ctx, project, { status: 'TERMINATING', message: null });
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
