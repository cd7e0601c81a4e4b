import type { DaemonClient } from '../daemon-client';
import { AppError } from '../errors';
import { sandboxOfProject, type SandboxRow } from '../reconcile/sandbox-store';
import type { Services } from '../services';

/**
 * The running sandbox of a project and a client for its daemon, for everything that acts inside it
 * (agent tools, the editor's file system, terminals, the preview). Membership is the caller's job.
 */
export async function runningSandbox(services: Pick<Services, 'sql' | 'daemons'>, projectId: string): Promise<{ sandbox: SandboxRow; client: DaemonClient }> {
  const [project] = await services.sql<{ status: string }[]>`SELECT status FROM projects WHERE id = ${projectId}`;
  const sandbox = await sandboxOfProject(services.sql, projectId);
  if (!project || project.status !== 'RUNNING' || !sandbox?.address) {
    throw new AppError('conflict', `the project's sandbox is not running${project ? ` (status ${project.status})` : ''}; start it first`);
  }
  return { sandbox, client: services.daemons.get(sandbox.id, sandbox.address) };
}
