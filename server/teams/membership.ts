import type { Role } from '../../protocol/common';
import type { Sql, Tx } from '../db/database';
import { decide } from '../access/role-policy';
import { roleIn } from './team-store';

export { atLeast } from '../access/role-policy';

/**
 * Outsiders get 404 (they may not learn the team exists); members without the role get 403.
 */
export async function requireRole(db: Sql | Tx, userId: string, teamId: string, needed: Role = 'member', what = 'team'): Promise<Role> {
  return decide(await roleIn(db, userId, teamId), needed, what);
}
