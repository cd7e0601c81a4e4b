import type { Role } from '../../protocol/common';
import type { SandboxLimits } from '../../protocol/rest/teams';
import type { Sql, Tx } from '../db/database';
import { hashToken } from '../auth/opaque-token';

/** Teams, their members and their sign-up invite codes. */
export interface TeamRow { id: string; name: string; role: Role; createdAt: Date; sandboxLimits: SandboxLimits | null }
export interface MemberRow { userId: string; email: string; name: string; role: Role; joinedAt: Date }

export async function teamsOfUser(db: Sql | Tx, userId: string): Promise<TeamRow[]> {
  return db<TeamRow[]>`
    SELECT t.id, t.name, m.role, t.created_at, t.sandbox_limits FROM teams t JOIN memberships m ON m.team_id = t.id
    WHERE m.user_id = ${userId} ORDER BY t.created_at, t.id`;
}

/** A new team owned by `ownerId`. */
export async function createTeam(db: Sql | Tx, name: string, ownerId: string): Promise<TeamRow> {
  const [row] = await db<TeamRow[]>`INSERT INTO teams (name) VALUES (${name}) RETURNING id, name, created_at, sandbox_limits, 'owner' AS role`;
  await db`INSERT INTO memberships (team_id, user_id, role) VALUES (${row!.id}, ${ownerId}, 'owner')`;
  return row!;
}

/** Renames and/or sets limits (`null` limits: the server's defaults; `undefined`: unchanged). */
export async function updateTeam(db: Sql | Tx, teamId: string, role: Role, changes: { name?: string | undefined; sandboxLimits?: SandboxLimits | null | undefined }): Promise<TeamRow> {
  const limits = changes.sandboxLimits;
  const [row] = await db<TeamRow[]>`
    UPDATE teams SET name = ${changes.name ?? db`name`},
      sandbox_limits = ${limits === undefined ? db`sandbox_limits` : limits === null ? null : db.json(limits)}
    WHERE id = ${teamId} RETURNING id, name, created_at, sandbox_limits, ${role}::text AS role`;
  return row!;
}

/** The user's role in the team, or undefined when they are not in it. */
export async function roleIn(db: Sql | Tx, userId: string, teamId: string): Promise<Role | undefined> {
  const [row] = await db<{ role: Role }[]>`SELECT role FROM memberships WHERE team_id = ${teamId} AND user_id = ${userId}`;
  return row?.role;
}

/** The ids of a team's members. */
export async function memberIds(db: Sql | Tx, teamId: string): Promise<string[]> {
  const rows = await db<{ userId: string }[]>`SELECT user_id FROM memberships WHERE team_id = ${teamId}`;
  return rows.map((m) => m.userId);
}

/** The team's own sandbox limits (over the server's defaults); null when it has none or no such team. */
export async function teamSandboxLimits(db: Sql | Tx, teamId: string): Promise<Partial<SandboxLimits> | null> {
  const [team] = await db<{ sandboxLimits: Partial<SandboxLimits> | null }[]>`SELECT sandbox_limits FROM teams WHERE id = ${teamId}`;
  return team?.sandboxLimits ?? null;
}

/** A team's members, or one of them. */
export async function members(db: Sql | Tx, teamId: string, userId?: string): Promise<MemberRow[]> {
  return db<MemberRow[]>`
    SELECT m.user_id, u.email, u.name, m.role, m.created_at AS joined_at
    FROM memberships m JOIN users u ON u.id = m.user_id
    WHERE m.team_id = ${teamId} ${userId ? db`AND m.user_id = ${userId}` : db``}
    ORDER BY m.created_at`;
}

export async function member(db: Sql | Tx, teamId: string, userId: string): Promise<MemberRow | undefined> {
  return (await members(db, teamId, userId))[0];
}

export async function memberByEmail(db: Sql | Tx, teamId: string, email: string): Promise<boolean> {
  const [row] = await db`SELECT 1 FROM memberships m JOIN users u ON u.id = m.user_id WHERE m.team_id = ${teamId} AND lower(u.email) = lower(${email})`;
  return row !== undefined;
}

/** Adds a membership; false when the user is already in the team. */
export async function addMembership(db: Sql | Tx, teamId: string, userId: string, role: Role): Promise<boolean> {
  const [added] = await db`INSERT INTO memberships (team_id, user_id, role) VALUES (${teamId}, ${userId}, ${role}) ON CONFLICT DO NOTHING RETURNING 1`;
  return added !== undefined;
}

/**
 * Changes memberships under the team's lock: `change` runs, then the team must still have an owner
 * (else the transaction is undone with the error `noOwner` gives).
 */
export async function changeMembers(tx: Tx, teamId: string, change: { setRole?: { userId: string; role: Role }; remove?: string }, noOwner: () => Error): Promise<void> {
  await tx`SELECT 1 FROM teams WHERE id = ${teamId} FOR UPDATE`;
  if (change.setRole) await tx`UPDATE memberships SET role = ${change.setRole.role} WHERE team_id = ${teamId} AND user_id = ${change.setRole.userId}`;
  if (change.remove) await tx`DELETE FROM memberships WHERE team_id = ${teamId} AND user_id = ${change.remove}`;
  const [owners] = await tx<{ n: number }[]>`SELECT count(*)::int AS n FROM memberships WHERE team_id = ${teamId} AND role = 'owner'`;
  if (owners!.n === 0) throw noOwner();
}

/** A one-time code that signs someone up into the team. */
export async function insertInviteCode(db: Sql | Tx, input: { teamId: string; role: Role; hash: Buffer; createdBy: string; hours: number }): Promise<Date> {
  const [row] = await db<{ expiresAt: Date }[]>`
    INSERT INTO invites (team_id, role, code_hash, created_by, expires_at)
    VALUES (${input.teamId}, ${input.role}, ${input.hash}, ${input.createdBy}, now() + make_interval(hours => ${input.hours}))
    RETURNING expires_at`;
  return row!.expiresAt;
}

/** A valid (unused, unexpired) invite code, locked until the sign-up that uses it commits. */
export async function lockInviteCode(tx: Tx, code: string): Promise<{ id: string; teamId: string; role: Role } | undefined> {
  const [invite] = await tx<{ id: string; teamId: string; role: Role }[]>`
    SELECT id, team_id, role FROM invites
    WHERE code_hash = ${hashToken(code)} AND used_at IS NULL AND expires_at > now() FOR UPDATE`;
  return invite;
}

export async function markInviteCodeUsed(tx: Tx, inviteId: string, userId: string): Promise<void> {
  await tx`UPDATE invites SET used_at = now(), used_by = ${userId} WHERE id = ${inviteId}`;
}
