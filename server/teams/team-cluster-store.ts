import type { Sql, Tx } from '../db/database';

type Db = Sql | Tx;

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

export async function saveTeamCluster(sql: Db, userId: string, row: Omit<TeamClusterRow, 'updatedAt'>): Promise<void> {
  await sql`
    INSERT INTO team_clusters (team_id, kubeconfig, namespace, server, cluster_name, updated_by)
    VALUES (${row.teamId}, ${row.kubeconfig}, ${row.namespace}, ${row.server}, ${row.clusterName}, ${userId})
    ON CONFLICT (team_id) DO UPDATE SET kubeconfig = excluded.kubeconfig, namespace = excluded.namespace, server = excluded.server,
      cluster_name = excluded.cluster_name, updated_by = excluded.updated_by, updated_at = now()`;
}

export async function deleteTeamCluster(sql: Db, teamId: string): Promise<void> {
  await sql`DELETE FROM team_clusters WHERE team_id = ${teamId}`;
}

/** The cluster a sandbox was created in, as its row records it (null: the server's); undefined when there is no such row. */
export async function sandboxCluster(sql: Sql, sandboxId: string): Promise<{ teamCluster: string | null } | undefined> {
  const [row] = await sql<{ teamCluster: string | null }[]>`SELECT team_cluster FROM sandboxes WHERE id = ${sandboxId}`;
  return row;
}

/** A sandbox recorded in a team's cluster, with its project (null: a deleted project's, still being removed). */
export interface ClusterSandbox { projectId: string | null; projectName: string | null }

/**
 * Runs `change` (a save or removal of the team's registration) only while no sandbox is recorded in
 * the registered cluster, and returns those that are otherwise. The registration row is locked first:
 * a sandbox row being recorded in it (its foreign key) waits for the change, or the change for it.
 */
export async function changeUnlessHeld(sql: Sql, teamId: string, change: (tx: Tx) => Promise<void>): Promise<ClusterSandbox[]> {
  return sql.begin(async (tx) => {
    await tx`SELECT 1 FROM team_clusters WHERE team_id = ${teamId} FOR UPDATE`;
    const held = await tx<ClusterSandbox[]>`
      SELECT s.project_id, p.name AS project_name FROM sandboxes s LEFT JOIN projects p ON p.id = s.project_id
      WHERE s.team_cluster = ${teamId} ORDER BY p.name NULLS LAST`;
    if (!held.length) await change(tx);
    return [...held];
  });
}
