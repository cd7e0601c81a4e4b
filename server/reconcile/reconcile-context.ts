import type { Config } from '../config';
import type { Sql } from '../db/database';
import type { Logger } from '../log';
import type { Metrics } from '../http/metrics';
import type { TemplateCatalog } from '../projects/templates';
import type { SecretBox } from '../crypto/secret-box';
import { teamSandboxLimits } from '../teams/team-store';
import type { DaemonConnections } from '../runtime/daemon-connections';
import type { DaemonWatch } from './daemon-watch';
import type { StageClock } from './stage-clock';
import type { Runtime, SandboxLimits, SandboxSpec } from '../runtime/runtime';

/** What the reconciler's parts share. */
export interface ReconcileContext {
  sql: Sql;
  log: Logger;
  config: Config;
  runtime: Runtime;
  daemons: DaemonConnections;
  templates: TemplateCatalog;
  secrets: SecretBox;
  metrics: Metrics;
  installation: string;
  /** This process's name in leases. */
  worker: string;
  /** A stream to each running sandbox's daemon: a daemon that dies is noticed at once. */
  watch: DaemonWatch;
  /** When each start passed each step (the bench's breakdown; free when nobody listens). */
  stages: StageClock;
}

export function specFor(ctx: ReconcileContext, sandboxId: string, owner?: { projectId: string; teamId: string }, limits: SandboxLimits = ctx.config.sandboxLimits): SandboxSpec {
  return {
    id: sandboxId,
    image: ctx.config.sandboxImage,
    token: ctx.daemons.tokenFor(sandboxId),
    limits,
    labels: { installation: ctx.installation, project: owner?.projectId, team: owner?.teamId },
    terminalKeepSeconds: ctx.config.terminalKeepSeconds,
  };
}

export const DAEMON_READY_MS = 30_000;

/** The team's limits over the server's defaults. */
export async function limitsFor(ctx: ReconcileContext, teamId: string): Promise<SandboxLimits> {
  return { ...ctx.config.sandboxLimits, ...(await teamSandboxLimits(ctx.sql, teamId) ?? {}) };
}

export const sameLimits = (a: SandboxLimits, b: SandboxLimits): boolean =>
  a.cpus === b.cpus && a.memoryMb === b.memoryMb && a.pids === b.pids;
