import type { Sql } from '../db/database';
import { audit } from '../audit/audit-store';
import { createUser, findUserByEmail, issueSignInToken, lockForBootstrap, unusedAccount } from './user-store';

export const ADMIN_EMAIL = 'admin@slipway.local';

/**
 * First run: creates the administrator (no password yet) with a team. While that account has never
 * been used, every start issues a fresh one-time sign-in token, so the link on the console works.
 * Safe with several server processes starting at once (advisory lock).
 */
export async function bootstrapAdmin(sql: Sql): Promise<{ email: string; token: string; created: boolean } | undefined> {
  return sql.begin(async (tx) => {
    const { anyUser } = await lockForBootstrap(tx);
    let created = false;
    if (!anyUser) {
      const { user, teamId } = await createUser(tx, { email: ADMIN_EMAIL, name: 'Admin', passwordHash: null, isAdmin: true });
      await audit(tx, { teamId, actorId: user.id, action: 'user.bootstrap', target: user.id });
      created = true;
    }
    const unused = await unusedAccount(tx, ADMIN_EMAIL);
    if (!unused) return undefined;
    return { email: ADMIN_EMAIL, token: await issueSignInToken(tx, unused.id), created };
  });
}

/** For operators: `node dist/server.js sign-in-link <email>`. */
export async function signInLinkFor(sql: Sql, email: string): Promise<string> {
  const user = await findUserByEmail(sql, email);
  if (!user) throw new Error(`no account with email ${email}`);
  return issueSignInToken(sql, user.id);
}
