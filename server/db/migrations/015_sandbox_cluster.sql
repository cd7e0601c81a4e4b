-- (Landed first as 014 beside 014_mcp_server_approvals: renumbered; IF NOT EXISTS for a database that ran it under that name.)
-- The cluster each sandbox was created in: NULL for the server's own runtime, else the team whose
-- registered cluster (team_clusters) holds it. Every operation and connection on a sandbox goes to
-- its recorded cluster (pod addresses of two clusters may be the same), and a registration cannot be
-- changed or removed while sandboxes are recorded in it (their workspaces live there).
ALTER TABLE sandboxes ADD COLUMN IF NOT EXISTS team_cluster uuid REFERENCES team_clusters (team_id);
CREATE INDEX IF NOT EXISTS sandboxes_team_cluster_idx ON sandboxes (team_cluster) WHERE team_cluster IS NOT NULL;
-- Sandboxes made before this column were placed by their team's registration at the time: the current one.
UPDATE sandboxes s SET team_cluster = p.team_id
FROM projects p JOIN team_clusters c ON c.team_id = p.team_id
WHERE s.project_id = p.id AND s.runtime = 'kubernetes';
