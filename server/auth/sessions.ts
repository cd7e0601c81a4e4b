import { randomUUID } from 'node:crypto';
import type { Session } from '../../protocol/rest/auth';
import type { Sql, Tx } from '../db/database';
import { unauthorized } from '../errors';
import type { Services } from '../services';
import { audit } from '../audit/audit-store';
import { signAccessToken } from './access-token';
import { newToken } from './opaque-token';
import { insertRefreshToken, lockRefreshToken, markRotated, revokeSession, sessionOfRefreshToken } from './session-store';
import { toUser, userById, type UserRow } from './user-store';

type Deps = Pick<Services, 'sql' | 'jwtKey' | 'config'>;

/** A new access token + refresh token. The refresh token starts a session (family) unless one is given. */
export async function issueSession(deps: Deps, db: Sql | Tx, user: UserRow, familyId: string = randomUUID()): Promise<Session> {
  const refresh = newToken('rt');
  await insertRefreshToken(db, { userId: user.id, familyId, hash: refresh.hash, days: deps.config.refreshTokenDays });
  return {
    accessToken: await signAccessToken(deps.jwtKey, user.id, familyId, deps.config.accessTokenSeconds),
    refreshToken: refresh.token,
    expiresIn: deps.config.accessTokenSeconds,
    user: toUser(user),
  };
}

/**
 * Rotation: a refresh token is good for one use. Presenting one that was already rotated means it
 * leaked (or a client replayed it): the whole family is revoked and everyone holding it signs in again.
 */
export async function rotateRefreshToken(deps: Deps, token: string): Promise<Session> {
  const outcome = await deps.sql.begin(async (tx) => {
    const row = await lockRefreshToken(tx, token);
    if (!row || row.revokedAt || row.expired) return { error: 'the refresh token is invalid or expired' } as const;
    if (row.rotatedAt) {
      await revokeSession(tx, row.familyId);
      await audit(tx, { actorId: row.userId, action: 'auth.refresh_reuse', target: row.familyId });
      return { error: 'this refresh token was already used; every session from that sign-in is now signed out' } as const;
    }
    await markRotated(tx, row.id);
    const user = await userById(tx, row.userId);
    if (!user) return { error: 'the account no longer exists' } as const;
    return { session: await issueSession(deps, tx, user, row.familyId) };
  });
  if ('error' in outcome) throw unauthorized(outcome.error);
  return outcome.session;
}

/** Signing out ends the session: refresh tokens, access tokens and open sockets alike. */
export async function signOut(sql: Sql, refreshToken: string): Promise<void> {
  await sql.begin(async (tx) => {
    const familyId = await sessionOfRefreshToken(tx, refreshToken);
    if (familyId) await revokeSession(tx, familyId);
  });
}
