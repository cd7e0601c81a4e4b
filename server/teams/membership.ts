import type { Role } from '../../protocol/common';
import type { Sql, Tx } from '../db/database';
import { forbidden, notFound } from '../errors';

const RANK: Record<Role, number> = { member: 1, admin: 2, owner: 3 };
export const atLeast = (role: Role, needed: Role): boolean => RANK[role] >= RANK[needed];

/** The user's role in the team, or undefined when they are not in it. */
export async function roleIn(db: Sql | Tx, userId: string, teamId: string): Promise<Role | undefined> {
  const [row] = await db<{ role: Role }[]>`SELECT role FROM memberships WHERE team_id = ${teamId} AND user_id = ${userId}`;
  return row?.role;
}

/**
 * Outsiders get 404 (they may not learn the team exists); members without the role get 403.
 */
export async function requireRole(db: Sql | Tx, userId: string, teamId: string, needed: Role = 'member', what = 'team'): Promise<Role> {
  const role = await roleIn(db, userId, teamId);
  if (!role) throw notFound(what);
  if (!atLeast(role, needed)) throw forbidden(`this needs the ${needed} role in the team`);
  return role;
}
