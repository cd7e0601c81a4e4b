-- Adding someone to a team is an invitation they accept (by the email it was sent to, whether or not
-- an account has it yet), so neither the answer nor the team reveals who is registered.
CREATE TABLE team_invitations (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  team_id uuid NOT NULL REFERENCES teams (id) ON DELETE CASCADE,
  email text NOT NULL,
  role text NOT NULL CHECK (role IN ('owner', 'admin', 'member')),
  invited_by uuid REFERENCES users (id) ON DELETE SET NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  expires_at timestamptz NOT NULL
);
-- One pending invitation per team and address: inviting again renews it.
CREATE UNIQUE INDEX team_invitations_team_email_idx ON team_invitations (team_id, lower(email));
CREATE INDEX team_invitations_email_idx ON team_invitations (lower(email));
