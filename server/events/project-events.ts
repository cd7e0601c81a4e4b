import type { Sql, Tx } from '../db/database';
import { notify } from '../db/notify';

export const PROJECT_CHANNEL = 'slipway_projects';

export interface ProjectChange {
  projectId: string;
  teamId: string;
}

/**
 * Tells every server process sharing the database that a project changed. Inside a transaction
 * the notice goes out at commit, so listeners never see a change that was rolled back.
 */
export async function notifyProjectChanged(db: Sql | Tx, change: ProjectChange): Promise<void> {
  await notify(db, PROJECT_CHANNEL, change);
}

export function parseProjectChange(payload: string): ProjectChange | undefined {
  try {
    const value = JSON.parse(payload) as Partial<ProjectChange>;
    return typeof value.projectId === 'string' && typeof value.teamId === 'string' ? { projectId: value.projectId, teamId: value.teamId } : undefined;
  } catch {
    return undefined;
  }
}
