import type { Role } from '../../protocol/common';
import type { Sql, Tx } from '../db/database';
import { decide } from '../access/role-policy';

export { atLeast } from '../access/role-policy';

/** The user's role in the team, or undefined when they are not in it. */
export async function roleIn(db: Sql | Tx, userId: string, teamId: string): Promise<Role | undefined> {
  const [row] = await db<{ role: Role }[]>`SELECT role FROM memberships WHERE team_id = ${teamId} AND user_id = ${userId}`;
  return row?.role;
}

/**
 * Outsiders get 404 (they may not learn the team exists); members without the role get 403.
 */
export async function requireRole(db: Sql | Tx, userId: string, teamId: string, needed: Role = 'member', what = 'team'): Promise<Role> {
  return decide(await roleIn(db, userId, teamId), needed, what);
}
