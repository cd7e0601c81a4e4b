import type { Role } from '../../protocol/common';
import type { Invitation } from '../../protocol/rest/teams';
import type { Sql, Tx } from '../db/database';

/** Invitations to join a team, addressed to an email (with or without an account behind it). */
const DAYS = 14;

/** Creates the invitation, or renews the pending one to the same address. */
export async function upsertInvitation(db: Sql | Tx, input: { teamId: string; email: string; role: Role; invitedBy: string }): Promise<Date> {
  const [row] = await db<{ expiresAt: Date }[]>`
    INSERT INTO team_invitations (team_id, email, role, invited_by, expires_at)
    VALUES (${input.teamId}, ${input.email}, ${input.role}, ${input.invitedBy}, now() + make_interval(days => ${DAYS}))
    ON CONFLICT (team_id, lower(email)) DO UPDATE SET role = excluded.role, invited_by = excluded.invited_by,
      created_at = now(), expires_at = excluded.expires_at
    RETURNING expires_at`;
  return row!.expiresAt;
}

/** Pending invitations to this address, newest first. */
export async function invitationsFor(db: Sql | Tx, email: string): Promise<Invitation[]> {
  const rows = await db<{ id: string; teamId: string; teamName: string; role: Role; invitedBy: string | null; createdAt: Date; expiresAt: Date }[]>`
    SELECT i.id, i.team_id, t.name AS team_name, i.role, u.name AS invited_by, i.created_at, i.expires_at
    FROM team_invitations i JOIN teams t ON t.id = i.team_id LEFT JOIN users u ON u.id = i.invited_by
    WHERE lower(i.email) = lower(${email}) AND i.expires_at > now()
    ORDER BY i.created_at DESC LIMIT 100`;
  return rows.map((r) => ({ ...r, createdAt: r.createdAt.toISOString(), expiresAt: r.expiresAt.toISOString() }));
}

/** Removes a pending invitation addressed to `email` (accepting or declining it); undefined when there is none for them. */
export async function takeInvitation(db: Sql | Tx, invitationId: string, email: string): Promise<{ teamId: string; role: Role } | undefined> {
  const [row] = await db<{ teamId: string; role: Role }[]>`
    DELETE FROM team_invitations WHERE id = ${invitationId} AND lower(email) = lower(${email}) AND expires_at > now()
    RETURNING team_id, role`;
  return row;
}

/** A team's pending invitations, newest first. */
export async function pendingInvitationsOf(db: Sql | Tx, teamId: string): Promise<{ id: string; email: string; role: Role; createdAt: string; expiresAt: string }[]> {
  const rows = await db<{ id: string; email: string; role: Role; createdAt: Date; expiresAt: Date }[]>`
    SELECT id, email, role, created_at, expires_at FROM team_invitations
    WHERE team_id = ${teamId} AND expires_at > now() ORDER BY created_at DESC LIMIT 500`;
  return rows.map((r) => ({ ...r, createdAt: r.createdAt.toISOString(), expiresAt: r.expiresAt.toISOString() }));
}

/** Withdraws one of the team's invitations; false when there is none. */
export async function cancelInvitation(db: Sql | Tx, teamId: string, invitationId: string): Promise<boolean> {
  const [row] = await db`DELETE FROM team_invitations WHERE id = ${invitationId} AND team_id = ${teamId} RETURNING 1`;
  return row !== undefined;
}
