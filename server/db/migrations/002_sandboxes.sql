-- One row per installation: its id labels every container and volume it creates, so orphans can be
-- found without touching another installation's sandboxes on the same Docker engine.
CREATE TABLE installation (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  singleton boolean NOT NULL DEFAULT true UNIQUE CHECK (singleton),
  created_at timestamptz NOT NULL DEFAULT now()
);
INSERT INTO installation DEFAULT VALUES;

-- A sandbox: one container (or process, or pod) with its workspace. project_id NULL = warm pool.
-- The row is written before the container is created, so a crash in between leaves a row to adopt,
-- never an unknown container.
CREATE TABLE sandboxes (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  project_id uuid UNIQUE REFERENCES projects (id) ON DELETE SET NULL,
  runtime text NOT NULL,
  image text NOT NULL,
  address text,
  state text NOT NULL DEFAULT 'PENDING' CHECK (state IN ('PENDING', 'RUNNING', 'STOPPED', 'REMOVING')),
  seeded boolean NOT NULL DEFAULT false,
  env_version integer NOT NULL DEFAULT 0,
  restarts integer NOT NULL DEFAULT 0,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX sandboxes_pool_idx ON sandboxes (runtime, image, created_at) WHERE project_id IS NULL;

-- Bumped on every environment change; the reconciler pushes variables until the sandbox has caught up.
ALTER TABLE projects ADD COLUMN env_version integer NOT NULL DEFAULT 0;
