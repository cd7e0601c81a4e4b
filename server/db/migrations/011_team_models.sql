-- Named models a team's chats can choose, besides the team's default (team_model_settings).
-- Prices are US dollars per million tokens (null: not configured; known models have defaults).
CREATE TABLE team_models (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  team_id uuid NOT NULL REFERENCES teams (id) ON DELETE CASCADE,
  name text NOT NULL,
  kind text NOT NULL,
  model text NOT NULL,
  base_url text,
  api_key bytea,
  context_tokens integer,
  supports_images boolean,
  input_price double precision,
  output_price double precision,
  created_by uuid REFERENCES users (id) ON DELETE SET NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (team_id, name)
);

-- The model a chat's turns use (null: the team's default). No foreign key on purpose: a model an
-- admin removes must fail the chat's next turn with a clear error, not switch models silently.
ALTER TABLE chats ADD COLUMN model_id uuid;
