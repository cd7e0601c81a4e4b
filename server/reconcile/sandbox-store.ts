import type { Sql, Tx } from '../db/database';
import type { RuntimeKind } from '../runtime/runtime';

export interface SandboxRow {
  id: string;
  projectId: string | null;
  runtime: RuntimeKind;
  image: string;
  address: string | null;
  state: 'PENDING' | 'RUNNING' | 'STOPPED' | 'REMOVING';
  seeded: boolean;
  envVersion: number;
  restarts: number;
}

type Db = Sql | Tx;

export async function sandboxOfProject(db: Db, projectId: string): Promise<SandboxRow | undefined> {
  const [row] = await db<SandboxRow[]>`SELECT * FROM sandboxes WHERE project_id = ${projectId}`;
  return row;
}

/**
 * Takes the oldest ready pool sandbox for the project, atomically: two server processes can never
 * claim the same one (SKIP LOCKED), and a claimed one is never handed out again.
 */
export async function claimFromPool(db: Db, projectId: string, runtime: RuntimeKind, image: string): Promise<SandboxRow | undefined> {
  const [row] = await db<SandboxRow[]>`
    UPDATE sandboxes SET project_id = ${projectId}, updated_at = now()
    WHERE id = (
      SELECT id FROM sandboxes
      WHERE project_id IS NULL AND runtime = ${runtime} AND image = ${image} AND state = 'RUNNING' AND address IS NOT NULL
      ORDER BY created_at LIMIT 1 FOR UPDATE SKIP LOCKED)
    RETURNING *`;
  return row;
}

/** A new sandbox row, written before anything is created in the runtime. */
export async function insertSandbox(db: Db, input: { projectId: string | null; runtime: RuntimeKind; image: string }): Promise<SandboxRow> {
  const [row] = await db<SandboxRow[]>`
    INSERT INTO sandboxes (project_id, runtime, image) VALUES (${input.projectId}, ${input.runtime}, ${input.image}) RETURNING *`;
  return row!;
}

export async function markSandbox(db: Db, id: string, changes: Partial<Pick<SandboxRow, 'address' | 'state' | 'seeded' | 'envVersion' | 'restarts'>>): Promise<void> {
  await db`
    UPDATE sandboxes SET
      address = ${changes.address === undefined ? db`address` : changes.address},
      state = ${changes.state ?? db`state`},
      seeded = ${changes.seeded ?? db`seeded`},
      env_version = ${changes.envVersion ?? db`env_version`},
      restarts = ${changes.restarts ?? db`restarts`},
      updated_at = now()
    WHERE id = ${id}`;
}

export async function deleteSandbox(db: Db, id: string): Promise<void> {
  await db`DELETE FROM sandboxes WHERE id = ${id}`;
}

export async function installationId(db: Db): Promise<string> {
  const [row] = await db<{ id: string }[]>`SELECT id FROM installation`;
  return row!.id;
}

/** A project's sandbox (its columns are null when it has none) with where the project is and should be. */
export type SandboxWithProject = SandboxRow & { status: string; desiredState: string; statusMessage: string | null };

/** A project's sandbox with the project's state; undefined when there is no such project. */
export async function sandboxWithStatus(db: Db, projectId: string): Promise<SandboxWithProject | undefined> {
  const [row] = await db<SandboxWithProject[]>`
    SELECT s.*, p.status, p.desired_state, p.status_message FROM projects p LEFT JOIN sandboxes s ON s.project_id = p.id WHERE p.id = ${projectId}`;
  return row;
}

/** The same, only for a member of the project's team and a project that is not terminated. */
export async function memberSandboxWithStatus(db: Db, userId: string, projectId: string): Promise<SandboxWithProject | undefined> {
  const [row] = await db<SandboxWithProject[]>`
    SELECT s.*, p.status, p.desired_state, p.status_message FROM projects p
    JOIN memberships m ON m.team_id = p.team_id AND m.user_id = ${userId}
    LEFT JOIN sandboxes s ON s.project_id = p.id
    WHERE p.id = ${projectId} AND p.status <> 'TERMINATED'`;
  return row;
}

/** The project a preview host names (by slug, not terminated), with its sandbox's address. */
export async function previewTarget(db: Db, slug: string): Promise<{ id: string; teamId: string; status: string; address: string | null } | undefined> {
  const [row] = await db<{ id: string; teamId: string; status: string; address: string | null }[]>`
    SELECT p.id, p.team_id, p.status, s.address FROM projects p LEFT JOIN sandboxes s ON s.project_id = p.id
    WHERE p.slug = ${slug} AND p.status <> 'TERMINATED'`;
  return row;
}
