import { randomUUID } from 'node:crypto';
import type { Session } from '../../protocol/rest/auth';
import type { Sql, Tx } from '../db/database';
import { unauthorized } from '../errors';
import type { Services } from '../services';
import { audit } from '../audit/audit-log';
import { signAccessToken } from './access-token';
import { hashToken, newToken } from './opaque-token';
import { toUser, type UserRow } from './users';

type Deps = Pick<Services, 'sql' | 'jwtKey' | 'config'>;

/** A new access token + refresh token. The refresh token starts a family unless one is given. */
export async function issueSession(deps: Deps, db: Sql | Tx, user: UserRow, familyId: string = randomUUID()): Promise<Session> {
  const refresh = newToken('rt');
  await db`
    INSERT INTO refresh_tokens (user_id, family_id, token_hash, expires_at)
    VALUES (${user.id}, ${familyId}, ${refresh.hash}, now() + make_interval(days => ${deps.config.refreshTokenDays}))`;
  return {
    accessToken: await signAccessToken(deps.jwtKey, user.id, deps.config.accessTokenSeconds),
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
    const [row] = await tx<{ id: string; familyId: string; userId: string; rotatedAt: Date | null; revokedAt: Date | null; expired: boolean }[]>`
      SELECT id, family_id, user_id, rotated_at, revoked_at, expires_at < now() AS expired
      FROM refresh_tokens WHERE token_hash = ${hashToken(token)} FOR UPDATE`;
    if (!row || row.revokedAt || row.expired) return { error: 'the refresh token is invalid or expired' } as const;
    if (row.rotatedAt) {
      await tx`UPDATE refresh_tokens SET revoked_at = now() WHERE family_id = ${row.familyId} AND revoked_at IS NULL`;
      await audit(tx, { actorId: row.userId, action: 'auth.refresh_reuse', target: row.familyId });
      return { error: 'this refresh token was already used; every session from that sign-in is now signed out' } as const;
    }
    await tx`UPDATE refresh_tokens SET rotated_at = now() WHERE id = ${row.id}`;
    const [user] = await tx<UserRow[]>`SELECT * FROM users WHERE id = ${row.userId}`;
    if (!user) return { error: 'the account no longer exists' } as const;
    return { session: await issueSession(deps, tx, user, row.familyId) };
  });
  if ('error' in outcome) throw unauthorized(outcome.error);
  return outcome.session;
}

export async function revokeRefreshFamily(sql: Sql, token: string): Promise<void> {
  await sql`
    UPDATE refresh_tokens SET revoked_at = now()
    WHERE revoked_at IS NULL AND family_id = (SELECT family_id FROM refresh_tokens WHERE token_hash = ${hashToken(token)})`;
}

