-- Preview launches: VS Code opens the Simple Browser on a link whose token the preview origin trades
-- for its cookie; it waits for that trade (redeemed_at) and then shows the clean URL, so the token
-- never stays in the address bar. Rows live as long as the link (minutes) and are pruned after.
CREATE TABLE preview_launches (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  user_id uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  project_id uuid NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
  expires_at timestamptz NOT NULL,
  redeemed_at timestamptz
);
CREATE INDEX preview_launches_expires_at ON preview_launches (expires_at);
