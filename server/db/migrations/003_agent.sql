-- Chats with the agent. last_seq hands out the per-chat sequence numbers of chat_events; a turn that
-- runs is owned by one server process (turn_owner) which renews turn_heartbeat_at while it works.
CREATE TABLE chats (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  project_id uuid NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
  title text NOT NULL,
  created_by uuid REFERENCES users (id) ON DELETE SET NULL,
  last_seq bigint NOT NULL DEFAULT 0,
  state text NOT NULL DEFAULT 'idle' CHECK (state IN ('idle', 'running', 'interrupted')),
  turn_id uuid,
  turn_owner text,
  turn_heartbeat_at timestamptz,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX chats_project_idx ON chats (project_id, updated_at DESC);
CREATE INDEX chats_running_idx ON chats (turn_heartbeat_at) WHERE state = 'running';

-- Every event of a chat, in order. `body` is the event as clients see it (protocol/chat.ts).
CREATE TABLE chat_events (
  chat_id uuid NOT NULL REFERENCES chats (id) ON DELETE CASCADE,
  seq bigint NOT NULL,
  type text NOT NULL,
  body jsonb NOT NULL,
  at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (chat_id, seq)
);

-- Tool calls waiting for a person ("ask" categories). The first answer wins.
CREATE TABLE agent_approvals (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  chat_id uuid NOT NULL REFERENCES chats (id) ON DELETE CASCADE,
  call_id text NOT NULL,
  tool text NOT NULL,
  category text NOT NULL,
  summary text NOT NULL,
  status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'approved', 'denied', 'expired')),
  answered_by uuid REFERENCES users (id) ON DELETE SET NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  answered_at timestamptz
);
CREATE INDEX agent_approvals_chat_idx ON agent_approvals (chat_id) WHERE status = 'pending';

-- Snapshots of the workspace in the sandbox's shadow git repository (the commits live there).
CREATE TABLE checkpoints (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  project_id uuid NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
  chat_id uuid REFERENCES chats (id) ON DELETE SET NULL,
  commit text NOT NULL,
  message text NOT NULL,
  files jsonb NOT NULL DEFAULT '[]',
  -- The chat's last event when the snapshot was taken: restoring the conversation cuts there.
  seq bigint,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX checkpoints_project_idx ON checkpoints (project_id, created_at DESC);

-- A team's model: provider, model, endpoint and API key (encrypted with the server key).
CREATE TABLE team_model_settings (
  team_id uuid PRIMARY KEY REFERENCES teams (id) ON DELETE CASCADE,
  kind text NOT NULL,
  model text NOT NULL,
  base_url text,
  api_key bytea,
  context_tokens integer,
  updated_by uuid REFERENCES users (id) ON DELETE SET NULL,
  updated_at timestamptz NOT NULL DEFAULT now()
);

-- Per project: approval mode per tool category, verify checks, repair rounds.
CREATE TABLE project_agent_settings (
  project_id uuid PRIMARY KEY REFERENCES projects (id) ON DELETE CASCADE,
  approvals jsonb NOT NULL DEFAULT '{}',
  checks jsonb NOT NULL DEFAULT '[]',
  max_repair_rounds integer NOT NULL DEFAULT 2,
  updated_at timestamptz NOT NULL DEFAULT now()
);

-- Tokens and cost of every model call.
CREATE TABLE agent_usage (
  id bigserial PRIMARY KEY,
  team_id uuid NOT NULL REFERENCES teams (id) ON DELETE CASCADE,
  project_id uuid REFERENCES projects (id) ON DELETE SET NULL,
  chat_id uuid REFERENCES chats (id) ON DELETE SET NULL,
  model text NOT NULL,
  input_tokens integer NOT NULL,
  output_tokens integer NOT NULL,
  cache_read_tokens integer NOT NULL,
  cache_write_tokens integer NOT NULL,
  cost_usd double precision,
  at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX agent_usage_team_idx ON agent_usage (team_id, at DESC);
CREATE INDEX agent_usage_chat_idx ON agent_usage (chat_id);
