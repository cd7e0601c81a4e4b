import type { DaemonClient } from '../daemon-client';
import { AppError, notFound } from '../errors';
import type { SandboxRow } from '../reconcile/sandbox-store';
import type { Services } from '../services';

type Access = { sandbox: SandboxRow; client: DaemonClient };

function access(services: Pick<Services, 'daemons'>, row: (SandboxRow & { status: string }) | undefined): Access {
  if (!row) throw notFound('project');
  if (row.status !== 'RUNNING' || !row.address) {
    throw new AppError('conflict', `the project's sandbox is not running (status ${row.status}); start it first`, { reason: 'sandbox_not_running' });
  }
  const { status: _status, ...sandbox } = row;
  return { sandbox, client: services.daemons.get(sandbox.id, row.address) };
}

/**
 * The running sandbox of a project and a client for its daemon, for everything that acts inside it
 * (agent tools, the editor's file system, terminals, the preview). Membership is the caller's job.
 */
export async function runningSandbox(services: Pick<Services, 'sql' | 'daemons'>, projectId: string): Promise<Access> {
  const [row] = await services.sql<(SandboxRow & { status: string })[]>`
    SELECT s.*, p.status FROM projects p LEFT JOIN sandboxes s ON s.project_id = p.id WHERE p.id = ${projectId}`;
  return access(services, row);
}

/**
 * The same for a user, in one query (this is on the editor's hot path): outsiders get 404, as for
 * everything of a team they are not in; a sandbox that is not running gives 409.
 */
export async function sandboxForMember(services: Pick<Services, 'sql' | 'daemons'>, userId: string, projectId: string): Promise<Access> {
  const [row] = await services.sql<(SandboxRow & { status: string })[]>`
    SELECT s.*, p.status FROM projects p
    JOIN memberships m ON m.team_id = p.team_id AND m.user_id = ${userId}
    LEFT JOIN sandboxes s ON s.project_id = p.id
    WHERE p.id = ${projectId} AND p.status <> 'TERMINATED'`;
  return access(services, row);
}
