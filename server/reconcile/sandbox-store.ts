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
  /** The team whose own cluster holds it (Kubernetes); null: the server's runtime. Recorded at creation, never changed. */
  teamCluster: string | null;
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
        -- Pool sandboxes run in the server's own cluster: a team that registered its own takes none.
        AND NOT EXISTS (SELECT 1 FROM projects p JOIN team_clusters c ON c.team_id = p.team_id WHERE p.id = ${projectId})
      ORDER BY created_at LIMIT 1 FOR UPDATE SKIP LOCKED)
    RETURNING *`;
  return row;
}

/**
 * A new sandbox row, written before anything is created in the runtime. On Kubernetes it records the
 * cluster it will be in: its team's own cluster when the team registered one (the registration row is
 * then held until the sandbox row goes), else the server's.
 */
export async function insertSandbox(db: Db, input: { projectId: string | null; runtime: RuntimeKind; image: string }): Promise<SandboxRow> {
  const [row] = await db<SandboxRow[]>`
    INSERT INTO sandboxes (project_id, runtime, image, team_cluster)
    VALUES (${input.projectId}, ${input.runtime}, ${input.image}, CASE WHEN ${input.runtime}::text = 'kubernetes' THEN
      (SELECT c.team_id FROM projects p JOIN team_clusters c ON c.team_id = p.team_id WHERE p.id = ${input.projectId}) END)
    RETURNING *`;
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

/** A sandbox of the runtime with its project's state and how long ago it was made (what the observer compares). */
export interface ObservedSandbox extends SandboxRow {
  projectStatus: string | null;
  desiredState: string | null;
  createdAgoMs: number;
  /** Written before the runtime was listed: only then does the listing say what became of it. */
  settled: boolean;
  /** Its project's database was running before the listing, and should be still (one being added is not yet). */
  databaseRunning: boolean;
}

/** The database's clock now (not the transaction's start), as text to compare with later. */
export async function databaseClock(db: Db): Promise<string> {
  const [{ listedAt }] = await db<[{ listedAt: string }]>`SELECT clock_timestamp()::text AS listed_at`;
  return listedAt;
}

/** The runtime's sandboxes; `settled` when written before `listedAt` (see databaseClock). */
export async function observedSandboxes(db: Db, runtime: RuntimeKind, listedAt: string): Promise<ObservedSandbox[]> {
  return db<ObservedSandbox[]>`
    SELECT s.*, p.status AS project_status, p.desired_state,
           (extract(epoch FROM now() - s.created_at) * 1000)::bigint AS created_ago_ms,
           s.updated_at < ${listedAt}::timestamptz AS settled,
           EXISTS (SELECT 1 FROM project_databases d WHERE d.project_id = s.project_id AND d.desired = 'PRESENT' AND d.status = 'RUNNING'
             AND d.updated_at < ${listedAt}::timestamptz) AS database_running
    FROM sandboxes s LEFT JOIN projects p ON p.id = s.project_id
    WHERE s.runtime = ${runtime}`;
}

/** Deletes a pool sandbox's row; false when it was claimed meanwhile (or is gone). */
export async function deletePoolSandbox(db: Db, id: string): Promise<boolean> {
  const [gone] = await db`DELETE FROM sandboxes WHERE id = ${id} AND project_id IS NULL RETURNING id`;
  return Boolean(gone);
}

/**
 * Reserves rows for the pool sandboxes missing to make `size` of this runtime and image, under the
 * pool's lock (several processes together keep the pool at its size). `mayStart` is asked only when
 * some are missing; false reserves none.
 */
export async function reservePoolSandboxes(sql: Sql, pool: { runtime: RuntimeKind; image: string; size: number }, mayStart: () => Promise<boolean>): Promise<SandboxRow[]> {
  return sql.begin(async (tx): Promise<SandboxRow[]> => {
    await tx`SELECT pg_advisory_xact_lock(hashtext('slipway.pool'))`;
    const [count] = await tx<{ n: number }[]>`
      SELECT count(*)::int AS n FROM sandboxes
      WHERE project_id IS NULL AND runtime = ${pool.runtime} AND image = ${pool.image}`;
    const missing = pool.size - count!.n;
    if (missing <= 0 || !(await mayStart())) return [];
    return [...await tx<SandboxRow[]>`
      INSERT INTO sandboxes (project_id, runtime, image)
      SELECT NULL, ${pool.runtime}, ${pool.image} FROM generate_series(1, ${missing})
      RETURNING *`];
  });
}

/** Deletes, under the pool's lock, pool rows of another image and those beyond `size`; their ids. */
export async function drainPoolSandboxes(sql: Sql, pool: { runtime: RuntimeKind; image: string; size: number }): Promise<{ id: string }[]> {
  return sql.begin(async (tx) => {
    await tx`SELECT pg_advisory_xact_lock(hashtext('slipway.pool'))`;
    return tx<{ id: string }[]>`
      DELETE FROM sandboxes WHERE id IN (
        SELECT id FROM (
          SELECT id, image = ${pool.image} AS current,
            row_number() OVER (PARTITION BY image = ${pool.image} ORDER BY (state = 'RUNNING') DESC, created_at) AS n
          FROM sandboxes WHERE project_id IS NULL AND runtime = ${pool.runtime}
        ) pool WHERE NOT current OR n > ${Math.max(0, pool.size)}
      ) AND project_id IS NULL
      RETURNING id`;
  });
}

/** How many pool sandboxes (of any runtime) are running and unclaimed. */
export async function readyPoolSize(db: Db): Promise<number> {
  const [row] = await db<{ n: number }[]>`SELECT count(*)::int AS n FROM sandboxes WHERE project_id IS NULL AND state = 'RUNNING'`;
  return row!.n;
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
export async function previewTarget(db: Db, slug: string): Promise<{ id: string; teamId: string; status: string; address: string | null; sandboxId: string | null } | undefined> {
  const [row] = await db<{ id: string; teamId: string; status: string; address: string | null; sandboxId: string | null }[]>`
    SELECT p.id, p.team_id, p.status, s.address, s.id AS sandbox_id FROM projects p LEFT JOIN sandboxes s ON s.project_id = p.id
    WHERE p.slug = ${slug} AND p.status <> 'TERMINATED'`;
  return row;
}
