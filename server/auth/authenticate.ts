import type { Context } from 'koa';
import type { Sql } from '../db/database';
import { unauthorized } from '../errors';
import { verifyAccessToken } from './access-token';
import { hashToken, tokenKind } from './opaque-token';

export interface AuthUser {
  id: string;
  email: string;
  isAdmin: boolean;
}

/** Resolves a bearer credential (access JWT or API token) to its user, or undefined. */
export async function resolveBearer(deps: { sql: Sql; jwtKey: Uint8Array }, token: string): Promise<AuthUser | undefined> {
  const { sql } = deps;
  if (tokenKind(token) === 'pat') {
    const [row] = await sql<(AuthUser & { tokenId: string; stale: boolean })[]>`
      SELECT u.id, u.email, u.is_admin, t.id AS token_id,
             (t.last_used_at IS NULL OR t.last_used_at < now() - interval '1 minute') AS stale
      FROM api_tokens t JOIN users u ON u.id = t.user_id
      WHERE t.token_hash = ${hashToken(token)} AND t.revoked_at IS NULL
        AND (t.expires_at IS NULL OR t.expires_at > now())`;
    if (!row) return undefined;
    if (row.stale) await sql`UPDATE api_tokens SET last_used_at = now() WHERE id = ${row.tokenId}`;
    return { id: row.id, email: row.email, isAdmin: row.isAdmin };
  }
  const userId = await verifyAccessToken(deps.jwtKey, token);
  if (!userId) return undefined;
  const [user] = await sql<AuthUser[]>`SELECT id, email, is_admin FROM users WHERE id = ${userId}`;
  return user;
}

export function bearerFrom(header: string | undefined): string | undefined {
  const match = /^Bearer\s+(\S{10,2000})$/i.exec(header ?? '');
  return match?.[1];
}

/** For routes that need a user: 401 with a clear message otherwise. */
export async function authenticateRequest(ctx: Context, deps: { sql: Sql; jwtKey: Uint8Array }): Promise<AuthUser> {
  const token = bearerFrom(ctx.get('authorization'));
  if (!token) throw unauthorized('send an access token or API token as "Authorization: Bearer <token>"');
  const user = await resolveBearer(deps, token);
  if (!user) throw unauthorized('the token is invalid, expired or revoked');
  ctx.state.user = user;
  return user;
}
