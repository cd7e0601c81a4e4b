-- Git credentials are per user, never per team: a personal access token per host and one SSH key.
-- Secrets are sealed with the server's SecretBox (context binds them to their user and host).
CREATE TABLE git_tokens (
  user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  host text NOT NULL,
  username text NOT NULL,
  token bytea NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (user_id, host)
);

CREATE TABLE git_ssh_keys (
  user_id uuid PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
  public_key text NOT NULL,
  private_key bytea NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);

-- A project created from a Git URL: cloned into its workspace (with its creator's credentials) when first seeded.
CREATE TABLE project_git_sources (
  project_id uuid PRIMARY KEY REFERENCES projects (id) ON DELETE CASCADE,
  url text NOT NULL,
  branch text,
  created_at timestamptz NOT NULL DEFAULT now()
);
