import type { Config } from '../config';
import type { Sql } from '../db/database';
import type { Logger } from '../log';
import type { TemplateCatalog } from '../projects/templates';
import type { SecretBox } from '../crypto/secret-box';
import type { DaemonConnections } from '../runtime/daemon-connections';
import type { Runtime, SandboxSpec } from '../runtime/runtime';

/** What the reconciler's parts share. */
export interface ReconcileContext {
  sql: Sql;
  log: Logger;
  config: Config;
  runtime: Runtime;
  daemons: DaemonConnections;
  templates: TemplateCatalog;
  secrets: SecretBox;
  installation: string;
  /** This process's name in leases. */
  worker: string;
}

export function specFor(ctx: ReconcileContext, sandboxId: string, owner?: { projectId: string; teamId: string }): SandboxSpec {
  return {
    id: sandboxId,
    image: ctx.config.sandboxImage,
    token: ctx.daemons.tokenFor(sandboxId),
    limits: ctx.config.sandboxLimits,
    labels: { installation: ctx.installation, project: owner?.projectId, team: owner?.teamId },
  };
}

export const DAEMON_READY_MS = 30_000;
