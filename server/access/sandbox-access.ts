import type { DaemonClient } from '../daemon-client';
import { AppError, notFound } from '../errors';
import { memberSandboxWithStatus, sandboxWithStatus, type SandboxRow, type SandboxWithProject } from '../reconcile/sandbox-store';
import type { Services } from '../services';

type Access = { sandbox: SandboxRow; client: DaemonClient };
/** A running sandbox and a client for its daemon. */
export type SandboxAccess = Access;
type Row = SandboxWithProject;

/** Seconds after which a client may try a sandbox that is coming back. */
const RETRY_AFTER_SECONDS = 2;

/**
 * Answers at once, never by waiting on a daemon that is not there: a sandbox that is stopped on
 * purpose is a 409 (start it first); one that is (re)starting is a 503 `sandbox_restarting`; one
 * whose daemon died, or that failed, is a 503 `sandbox_not_running` (both with Retry-After).
 * A degraded sandbox (it cannot start processes) still serves files.
 */
function access(services: Pick<Services, 'daemons'>, row: Row | undefined): Access {
  if (!row) throw notFound('project');
  const down = row.id ? services.daemons.downReason(row.id) : undefined;
  if ((row.status === 'RUNNING' || row.status === 'DEGRADED') && row.address && !down) {
    const { status: _s, desiredState: _d, statusMessage: _m, ...sandbox } = row;
    return { sandbox, client: services.daemons.get(sandbox.id, row.address) };
  }
  if (row.desiredState !== 'RUNNING') {
    throw new AppError('conflict', `the project's sandbox is not running (status ${row.status}); start it first`, { reason: 'sandbox_not_running' });
  }
  const starting = (row.status === 'CREATING' || row.status === 'STARTING') && row.state !== 'STOPPED' && !down;
  if (starting) {
    throw new AppError('unavailable', 'the project\'s sandbox is starting; try again in a moment', { reason: 'sandbox_restarting', retryAfter: RETRY_AFTER_SECONDS, expose: true });
  }
  const why = down ?? row.statusMessage ?? `status ${row.status}`;
  throw new AppError('unavailable', `the project's sandbox is not running (${why}); it is being restarted`, { reason: 'sandbox_not_running', retryAfter: RETRY_AFTER_SECONDS, expose: true });
}

/**
 * The running sandbox of a project and a client for its daemon, for everything that acts inside it
 * (agent tools, the editor's file system, terminals, the preview). Membership is the caller's job.
 */
export async function runningSandbox(services: Pick<Services, 'sql' | 'daemons'>, projectId: string): Promise<Access> {
  return access(services, await sandboxWithStatus(services.sql, projectId));
}

/**
 * The same for a user, in one query (this is on the editor's hot path): outsiders get 404, as for
 * everything of a team they are not in.
 */
export async function sandboxForMember(services: Pick<Services, 'sql' | 'daemons'>, userId: string, projectId: string, started?: MemberSandboxRead): Promise<Access> {
  const row = started && started.userId === userId && started.projectId === projectId ? started.row : memberSandboxWithStatus(services.sql, userId, projectId);
  return access(services, await row);
}

/** The query of `sandboxForMember`, started early (beside the session check); used only for the same user and project. */
export interface MemberSandboxRead {
  userId: string;
  projectId: string;
  row: Promise<Row | undefined>;
}

export function startMemberSandboxRead(services: Pick<Services, 'sql'>, userId: string, projectId: string): MemberSandboxRead {
  const row = memberSandboxWithStatus(services.sql, userId, projectId);
  row.catch(() => undefined); // awaited (and its failure reported) only if the request gets that far
  return { userId, projectId, row };
}
