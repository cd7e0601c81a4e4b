import type { ApiTokenInfo } from '../../protocol/rest/auth';
import type { Sql, Tx } from '../db/database';
import { notifyCredentialRevoked } from '../events/credential-events';
import { hashToken } from './opaque-token';

/** API tokens (`slp_pat_…`): only their hash is stored. */
interface TokenRow { id: string; name: string; prefix: string; createdAt: Date; lastUsedAt: Date | null; expiresAt: Date | null }

const toTokenInfo = (r: TokenRow): ApiTokenInfo => ({
  id: r.id, name: r.name, prefix: r.prefix, createdAt: r.createdAt.toISOString(),
  lastUsedAt: r.lastUsedAt?.toISOString() ?? null, expiresAt: r.expiresAt?.toISOString() ?? null,
});

export async function listApiTokens(sql: Sql, userId: string): Promise<ApiTokenInfo[]> {
  const rows = await sql<TokenRow[]>`
    SELECT id, name, prefix, created_at, last_used_at, expires_at FROM api_tokens
    WHERE user_id = ${userId} AND revoked_at IS NULL ORDER BY created_at DESC`;
  return rows.map(toTokenInfo);
}

export async function countActiveApiTokens(sql: Sql, userId: string): Promise<number> {
  const [row] = await sql<{ n: number }[]>`SELECT count(*)::int AS n FROM api_tokens WHERE user_id = ${userId} AND revoked_at IS NULL`;
  return row?.n ?? 0;
}

export async function insertApiToken(sql: Sql, input: { userId: string; name: string; token: string; hash: Buffer; expiresInDays: number | undefined }): Promise<ApiTokenInfo> {
  const [row] = await sql<TokenRow[]>`
    INSERT INTO api_tokens (user_id, name, prefix, token_hash, expires_at)
    VALUES (${input.userId}, ${input.name}, ${input.token.slice(0, 12)}, ${input.hash},
            ${input.expiresInDays ? sql`now() + make_interval(days => ${input.expiresInDays})` : null})
    RETURNING id, name, prefix, created_at, last_used_at, expires_at`;
  return toTokenInfo(row!);
}

/** Revokes one of the user's tokens and closes the sockets opened with it; false when there was none. */
export async function revokeApiToken(sql: Sql, userId: string, tokenId: string): Promise<boolean> {
  return sql.begin(async (tx) => {
    const [row] = await tx`UPDATE api_tokens SET revoked_at = now() WHERE id = ${tokenId} AND user_id = ${userId} AND revoked_at IS NULL RETURNING id`;
    if (row) await notifyCredentialRevoked(tx, { kind: 'token', id: tokenId });
    return row !== undefined;
  });
}

/** The user behind a live API token (and the token), touching its last use at most once a minute. */
export async function userByApiToken(sql: Sql, token: string): Promise<{ id: string; email: string; isAdmin: boolean; tokenId: string; expiresAt: Date | null } | undefined> {
  const [row] = await sql<{ id: string; email: string; isAdmin: boolean; tokenId: string; expiresAt: Date | null; stale: boolean }[]>`
    SELECT u.id, u.email, u.is_admin, t.id AS token_id, t.expires_at,
           (t.last_used_at IS NULL OR t.last_used_at < now() - interval '1 minute') AS stale
    FROM api_tokens t JOIN users u ON u.id = t.user_id
    WHERE t.token_hash = ${hashToken(token)} AND t.revoked_at IS NULL
      AND (t.expires_at IS NULL OR t.expires_at > now())`;
  if (!row) return undefined;
  if (row.stale) await sql`UPDATE api_tokens SET last_used_at = now() WHERE id = ${row.tokenId}`;
  const { stale: _, ...found } = row;
  return found;
}

/** Whether an API token still works (not revoked, not expired). */
export async function apiTokenActive(db: Sql | Tx, tokenId: string): Promise<boolean> {
  const [row] = await db`SELECT 1 FROM api_tokens WHERE id = ${tokenId} AND revoked_at IS NULL AND (expires_at IS NULL OR expires_at > now())`;
  return row !== undefined;
}
