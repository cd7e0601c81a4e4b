import type { Sql, Tx } from '../db/database';
import { notifyCredentialRevoked } from '../events/credential-events';
import { hashToken } from './opaque-token';

/**
 * Sign-in sessions: a family of refresh tokens, one per rotation, from one sign-in. The family id
 * is the session id that access tokens carry; the session lives while a token of it is unrevoked.
 */
export interface RefreshTokenRow {
  id: string;
  familyId: string;
  userId: string;
  rotatedAt: Date | null;
  revokedAt: Date | null;
  expired: boolean;
}

export async function insertRefreshToken(db: Sql | Tx, input: { userId: string; familyId: string; hash: Buffer; days: number }): Promise<void> {
  await db`
    INSERT INTO refresh_tokens (user_id, family_id, token_hash, expires_at)
    VALUES (${input.userId}, ${input.familyId}, ${input.hash}, now() + make_interval(days => ${input.days}))`;
}

/** The refresh token, locked for its rotation. */
export async function lockRefreshToken(tx: Tx, token: string): Promise<RefreshTokenRow | undefined> {
  const [row] = await tx<RefreshTokenRow[]>`
    SELECT id, family_id, user_id, rotated_at, revoked_at, expires_at < now() AS expired
    FROM refresh_tokens WHERE token_hash = ${hashToken(token)} FOR UPDATE`;
  return row;
}

export async function markRotated(tx: Tx, id: string): Promise<void> {
  await tx`UPDATE refresh_tokens SET rotated_at = now() WHERE id = ${id}`;
}

/** Ends a session: its refresh tokens, its access tokens (checked on use) and its sockets. */
export async function revokeSession(db: Sql | Tx, familyId: string): Promise<void> {
  await db`UPDATE refresh_tokens SET revoked_at = now() WHERE family_id = ${familyId} AND revoked_at IS NULL`;
  await notifyCredentialRevoked(db, { kind: 'session', id: familyId });
}

/** The session a refresh token belongs to (rotated or not), if any. */
export async function sessionOfRefreshToken(db: Sql | Tx, token: string): Promise<string | undefined> {
  const [row] = await db<{ familyId: string }[]>`SELECT family_id FROM refresh_tokens WHERE token_hash = ${hashToken(token)}`;
  return row?.familyId;
}

/** The user, when the session is still live (an access token of a signed-out session stops working). */
export async function userInSession(db: Sql | Tx, userId: string, sessionId: string): Promise<{ id: string; email: string; isAdmin: boolean } | undefined> {
  const [row] = await db<{ id: string; email: string; isAdmin: boolean }[]>`
    SELECT u.id, u.email, u.is_admin FROM users u
    WHERE u.id = ${userId} AND EXISTS (
      SELECT 1 FROM refresh_tokens r WHERE r.family_id = ${sessionId} AND r.user_id = u.id AND r.revoked_at IS NULL)`;
  return row;
}

export async function sessionActive(db: Sql | Tx, sessionId: string): Promise<boolean> {
  const [row] = await db`SELECT 1 FROM refresh_tokens WHERE family_id = ${sessionId} AND revoked_at IS NULL LIMIT 1`;
  return row !== undefined;
}
