import type { Sql, Tx } from '../db/database';

export interface GitSourceRow {
  url: string;
  branch: string | null;
  /** Whose credentials clone it: the project's creator. */
  createdBy: string | null;
}

export async function insertGitSource(tx: Tx, projectId: string, source: { url: string; branch?: string }): Promise<void> {
  await tx`INSERT INTO project_git_sources (project_id, url, branch) VALUES (${projectId}, ${source.url}, ${source.branch ?? null})`;
}

export async function gitSourceOf(sql: Sql, projectId: string): Promise<GitSourceRow | undefined> {
  const [row] = await sql<GitSourceRow[]>`
    SELECT g.url, g.branch, p.created_by FROM project_git_sources g JOIN projects p ON p.id = g.project_id WHERE g.project_id = ${projectId}`;
  return row;
}
