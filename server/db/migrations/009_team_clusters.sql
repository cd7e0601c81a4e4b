-- A team's own Kubernetes cluster for its sandboxes: the kubeconfig sealed with the server's
-- SecretBox (context `team-cluster:<team id>`); the API server URL and cluster name are shown to admins.
CREATE TABLE team_clusters (
  team_id uuid PRIMARY KEY REFERENCES teams (id) ON DELETE CASCADE,
  kubeconfig bytea NOT NULL,
  namespace text NOT NULL,
  server text NOT NULL,
  cluster_name text NOT NULL,
  updated_by uuid REFERENCES users (id) ON DELETE SET NULL,
  updated_at timestamptz NOT NULL DEFAULT now()
);
