import type { Sql } from '../db/database';

/** A team's own Kubernetes cluster; `kubeconfig` is sealed and opened only to connect. */
export interface TeamClusterRow {
  teamId: string;
  kubeconfig: Buffer;
  namespace: string;
  server: string;
  clusterName: string;
  updatedAt: Date;
}

export async function teamCluster(sql: Sql, teamId: string): Promise<TeamClusterRow | undefined> {
  const [row] = await sql<TeamClusterRow[]>`SELECT team_id, kubeconfig, namespace, server, cluster_name, updated_at FROM team_clusters WHERE team_id = ${teamId}`;
  return row;
}

export async function allTeamClusters(sql: Sql): Promise<TeamClusterRow[]> {
  return sql<TeamClusterRow[]>`SELECT team_id, kubeconfig, namespace, server, cluster_name, updated_at FROM team_clusters`;
}

export async function saveTeamCluster(sql: Sql, userId: string, row: Omit<TeamClusterRow, 'updatedAt'>): Promise<void> {
  await sql`
    INSERT INTO team_clusters (team_id, kubeconfig, namespace, server, cluster_name, updated_by)
    VALUES (${row.teamId}, ${row.kubeconfig}, ${row.namespace}, ${row.server}, ${row.clusterName}, ${userId})
    ON CONFLICT (team_id) DO UPDATE SET kubeconfig = excluded.kubeconfig, namespace = excluded.namespace, server = excluded.server,
      cluster_name = excluded.cluster_name, updated_by = excluded.updated_by, updated_at = now()`;
}

export async function deleteTeamCluster(sql: Sql, teamId: string): Promise<void> {
  await sql`DELETE FROM team_clusters WHERE team_id = ${teamId}`;
}

/** The team of a sandbox's project (none for a warm-pool sandbox). */
export async function teamOfSandbox(sql: Sql, sandboxId: string): Promise<string | undefined> {
  const [row] = await sql<{ teamId: string }[]>`SELECT p.team_id FROM sandboxes s JOIN projects p ON p.id = s.project_id WHERE s.id = ${sandboxId}`;
  return row?.teamId;
}
