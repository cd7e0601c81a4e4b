import type { DatabaseStatus } from '../../protocol/rest/projects';
import type { Sql, Tx } from '../db/database';

type Db = Sql | Tx;

/** A project's database as stored: `password` is sealed (see database-secret.ts), never sent to a client. */
export interface DatabaseRow {
  projectId: string;
  password: Buffer;
  /** ABSENT: the project no longer wants it; the reconciler removes it, then the row. */
  desired: 'PRESENT' | 'ABSENT';
  status: DatabaseStatus;
  statusMessage: string | null;
  version: string | null;
  createdAt: Date;
  updatedAt: Date;
}

export async function databaseOfProject(db: Db, projectId: string): Promise<DatabaseRow | undefined> {
  const [row] = await db<DatabaseRow[]>`SELECT * FROM project_databases WHERE project_id = ${projectId}`;
  return row;
}

/**
 * The project wants a database: a new row (in `status`) with this sealed password, or the one being
 * removed wanted again (its password kept: its data, if not removed yet, opens with it).
 * Whether anything changed.
 */
export async function requestDatabase(db: Db, projectId: string, sealedPassword: Buffer, status: DatabaseStatus): Promise<boolean> {
  const rows = await db`
    INSERT INTO project_databases (project_id, password, status) VALUES (${projectId}, ${sealedPassword}, ${status})
    ON CONFLICT (project_id) DO UPDATE SET desired = 'PRESENT', status = excluded.status, status_message = NULL, updated_at = now()
      WHERE project_databases.desired = 'ABSENT'
    RETURNING project_id`;
  return rows.length > 0;
}

/** The project no longer wants its database (TERMINATING until the reconciler removed it). Whether it had one. */
export async function releaseDatabase(db: Db, projectId: string): Promise<boolean> {
  const rows = await db`
    UPDATE project_databases SET desired = 'ABSENT', status = 'TERMINATING', status_message = NULL, updated_at = now()
    WHERE project_id = ${projectId} AND desired = 'PRESENT' RETURNING project_id`;
  return rows.length > 0;
}

/**
 * The reconciler's word on the database (`version` when it was seen), only while `worker` holds the
 * project's lease (fencing, as for the project's status). False when it does not (or no row).
 */
export async function setDatabaseStatus(db: Db, projectId: string, change: { status: DatabaseStatus; message?: string | null; version?: string }, worker: string): Promise<boolean> {
  const rows = await db`
    UPDATE project_databases d SET status = ${change.status},
      status_message = ${change.message === undefined ? db`d.status_message` : change.message},
      version = ${change.version ?? db`d.version`}, updated_at = now()
    FROM projects p WHERE d.project_id = ${projectId} AND p.id = d.project_id AND p.locked_by = ${worker}
    RETURNING d.project_id`;
  return rows.length > 0;
}

/** After the runtime removed it: the row goes, unless the project wanted it back meanwhile. */
export async function forgetRemovedDatabase(db: Db, projectId: string): Promise<void> {
  await db`DELETE FROM project_databases WHERE project_id = ${projectId} AND desired = 'ABSENT'`;
}
