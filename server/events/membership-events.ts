import type { Sql, Tx } from '../db/database';
import { notify } from '../db/notify';

export const MEMBERSHIP_CHANNEL = 'slipway_membership';

/**
 * Someone lost access to a team. Every server process closes that user's WebSocket connections:
 * whatever they were subscribed to (chats, terminals, file watches, project status), they
 * reconnect with only what they may still see.
 */
export async function notifyMembershipRevoked(db: Sql | Tx, change: { userId: string; teamId: string }): Promise<void> {
  await notify(db, MEMBERSHIP_CHANNEL, change);
}

export function parseMembershipRevoked(payload: string): { userId: string; teamId: string } | undefined {
  try {
    const value = JSON.parse(payload) as { userId?: unknown; teamId?: unknown };
    return typeof value.userId === 'string' && typeof value.teamId === 'string' ? { userId: value.userId, teamId: value.teamId } : undefined;
  } catch {
    return undefined;
  }
}
