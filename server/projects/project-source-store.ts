import type { Sql, Tx } from '../db/database';

/** The ZIP archive an imported project was created from, kept until its workspace is seeded and the project deleted. */
export async function insertProjectSource(tx: Tx, projectId: string, source: { archive: Buffer; entries: number; bytes: number }): Promise<void> {
  await tx`INSERT INTO project_sources (project_id, archive, entries, bytes) VALUES (${projectId}, ${source.archive}, ${source.entries}, ${source.bytes})`;
}

export async function projectSourceArchive(sql: Sql, projectId: string): Promise<Buffer | undefined> {
  const [source] = await sql<{ archive: Buffer }[]>`SELECT archive FROM project_sources WHERE project_id = ${projectId}`;
  return source?.archive;
}

/** What a deleted project leaves behind in the database: its archive, git source, variables and database password. */
export async function deleteProjectLeftovers(sql: Sql, projectId: string): Promise<void> {
  await sql`DELETE FROM project_sources WHERE project_id = ${projectId}`;
  await sql`DELETE FROM project_git_sources WHERE project_id = ${projectId}`;
  await sql`DELETE FROM project_env WHERE project_id = ${projectId}`;
  await sql`DELETE FROM project_databases WHERE project_id = ${projectId}`;
}
