import type { Sql, Tx } from '../db/database';
import { audit } from '../audit/audit-log';
import { newToken } from './opaque-token';
import { createUser, findUserByEmail } from './users';

export const ADMIN_EMAIL = 'admin@slipway.local';

/**
 * First run: creates the administrator (no password yet) with a team. While that account has never
 * been used, every start issues a fresh one-time sign-in token, so the link on the console works.
 * Safe with several server processes starting at once (advisory lock).
 */
export async function bootstrapAdmin(sql: Sql): Promise<{ email: string; token: string; created: boolean } | undefined> {
  return sql.begin(async (tx) => {
    await tx`SELECT pg_advisory_xact_lock(hashtext('slipway.bootstrap'))`;
    const [anyUser] = await tx`SELECT 1 FROM users LIMIT 1`;
    let created = false;
    if (!anyUser) {
      const { user, teamId } = await createUser(tx, { email: ADMIN_EMAIL, name: 'Admin', passwordHash: null, isAdmin: true });
      await audit(tx, { teamId, actorId: user.id, action: 'user.bootstrap', target: user.id });
      created = true;
    }
    const [unused] = await tx<{ id: string }[]>`
      SELECT u.id FROM users u WHERE lower(u.email) = ${ADMIN_EMAIL} AND u.password_hash IS NULL
        AND NOT EXISTS (SELECT 1 FROM refresh_tokens r WHERE r.user_id = u.id)
        AND NOT EXISTS (SELECT 1 FROM api_tokens a WHERE a.user_id = u.id)`;
    if (!unused) return undefined;
    return { email: ADMIN_EMAIL, token: await issueSignInToken(tx, unused.id), created };
  });
}

/** A one-time token that `POST /api/auth/redeem` trades for a session (24 hours). */
export async function issueSignInToken(db: Sql | Tx, userId: string): Promise<string> {
  const { token, hash } = newToken('sit');
  await db`INSERT INTO sign_in_tokens (user_id, token_hash, expires_at) VALUES (${userId}, ${hash}, now() + interval '24 hours')`;
  return token;
}

/** For operators: `node dist/server.js sign-in-link <email>`. */
export async function signInLinkFor(sql: Sql, email: string): Promise<string> {
  const user = await findUserByEmail(sql, email);
  if (!user) throw new Error(`no account with email ${email}`);
  return issueSignInToken(sql, user.id);
}
