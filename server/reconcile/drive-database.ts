import type { DatabaseStatus, ProjectStatus } from '../../protocol/rest/projects';
import type { DaemonClient } from '../daemon-client';
import { AppError } from '../errors';
import { notifyProjectChanged } from '../events/project-events';
import { probeDatabase } from '../projects/database-probe';
import { openDatabasePassword } from '../projects/database-secret';
import { forgetRemovedDatabase, setDatabaseStatus, type DatabaseRow } from '../projects/database-store';
import { SandboxFailure, type DatabaseSpec, type SandboxLimits } from '../runtime/runtime';
import { aggregateStatus } from './aggregate-status';
import type { ClaimedProject } from './lease-store';
import type { ReconcileContext } from './reconcile-context';

/**
 * The project's database as a resource the reconciler drives beside its sandbox: the runtime makes,
 * starts, stops and removes it with the sandbox (the spec carries it); this module says what it is,
 * and what the project's status is with it.
 */

/** What the runtime needs to run it: the database image, its password, the team's limits. */
export function databaseSpec(ctx: ReconcileContext, project: { id: string }, row: DatabaseRow, limits: SandboxLimits): DatabaseSpec {
  return {
    image: ctx.config.databaseImage,
    password: openDatabasePassword(ctx.secrets, project.id, row.password),
    limits: { cpus: limits.cpus, memoryMb: limits.memoryMb },
  };
}

/** The project's status with its database's (the one rule: aggregate-status.ts). */
export const withDatabase = (sandbox: ProjectStatus, database: DatabaseStatus | undefined): ProjectStatus =>
  database ? aggregateStatus([sandbox, database]) : sandbox;

export class LeaseLost extends AppError {
  constructor() {
    super('conflict', 'another worker took over this project', { reason: 'lease_lost' });
  }
}

/** Writes the database's status, fenced by the lease like the project's, and tells listeners (the project they see carries it). */
export async function databaseStatus(ctx: ReconcileContext, project: ClaimedProject, change: { status: DatabaseStatus; message?: string | null; version?: string }): Promise<void> {
  if (!(await setDatabaseStatus(ctx.sql, project.id, change, ctx.worker))) throw new LeaseLost();
  await notifyProjectChanged(ctx.sql, { projectId: project.id, teamId: project.teamId });
}

/** A database the project no longer wants: its container and volume go, then its row. */
export async function removeUnwantedDatabase(ctx: ReconcileContext, project: ClaimedProject, row: DatabaseRow | undefined, sandboxId: string | undefined): Promise<void> {
  if (row?.desired !== 'ABSENT') return;
  if (sandboxId) await ctx.runtime.removeDatabase?.(sandboxId);
  await forgetRemovedDatabase(ctx.sql, project.id);
  await notifyProjectChanged(ctx.sql, { projectId: project.id, teamId: project.teamId });
}

/** The database failed (its status and the project's message say how). */
export class DatabaseFailure extends SandboxFailure {
  constructor(message: string) {
    super(message);
    this.name = 'DatabaseFailure';
  }
}

/**
 * After the runtime started it: the sandbox reaches it, as the app would (`psql` with the sandbox's
 * variables). Its version; a DatabaseFailure if the sandbox cannot connect.
 */
export async function confirmDatabase(client: DaemonClient): Promise<string | undefined> {
  let probe = await probeDatabase(client, { timeoutMs: 10_000 });
  for (let attempt = 1; !probe.reachable && attempt < 3; attempt++) {
    await new Promise((r) => setTimeout(r, 500 * attempt));
    probe = await probeDatabase(client, { timeoutMs: 10_000 });
  }
  if (!probe.reachable) throw new DatabaseFailure(`the sandbox cannot connect to its database: ${probe.error ?? 'no answer'}`);
  return probe.version;
}

/** Whether a failed start was the database's: the sandbox runs, its database does not. */
export async function databaseFailed(ctx: ReconcileContext, sandboxId: string): Promise<boolean> {
  const actual = await ctx.runtime.inspect(sandboxId).catch(() => undefined);
  return actual?.state === 'running' && actual.database !== 'running';
}
