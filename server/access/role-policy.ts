import type { Role } from '../../protocol/common';
import { forbidden, notFound } from '../errors';

const RANK: Record<Role, number> = { member: 1, admin: 2, owner: 3 };
export const atLeast = (role: Role, needed: Role): boolean => RANK[role] >= RANK[needed];

/**
 * The one rule of access: someone outside the team (no role) gets 404, as if `what` did not exist;
 * a member without the `needed` role gets 403.
 */
export function decide(role: Role | undefined, needed: Role, what: string): Role {
  if (!role) throw notFound(what);
  if (!atLeast(role, needed)) throw forbidden(`this needs the ${needed} role in the team`);
  return role;
}
