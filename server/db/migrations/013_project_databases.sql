-- (Landed first as 010 beside 010_model_images: renumbered; IF NOT EXISTS for a database that ran it under that name.)
-- A project's PostgreSQL database (one per project, beside its sandbox). `desired` says whether the
-- project wants it: ABSENT rows are removed from the runtime by the reconciler, then deleted here.
-- The password is sealed with the server's SecretBox (context `database:<project id>`).
CREATE TABLE IF NOT EXISTS project_databases (
  project_id uuid PRIMARY KEY REFERENCES projects (id) ON DELETE CASCADE,
  password bytea NOT NULL,
  desired text NOT NULL DEFAULT 'PRESENT' CHECK (desired IN ('PRESENT', 'ABSENT')),
  status text NOT NULL DEFAULT 'CREATING' CHECK (status IN ('CREATING', 'STARTING', 'RUNNING', 'STOPPING', 'STOPPED', 'TERMINATING', 'ERROR')),
  status_message text,
  -- The server's version as last seen (`SHOW server_version`).
  version text,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
