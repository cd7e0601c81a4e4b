import { audit } from '../audit/audit-log';
import { AppError, conflict, forbidden, notFound, unauthorized } from '../errors';
import type { Handlers } from '../http/route-binder';
import type { Services } from '../services';
import { hashToken, newToken } from './opaque-token';
import { hashPassword, verifyPassword } from './passwords';
import { issueSession, revokeRefreshFamily, rotateRefreshToken } from './sessions';
import { createUser, findUserByEmail, toUser, type UserRow } from './users';

type AuthRoutes = 'auth.signUp' | 'auth.signIn' | 'auth.refresh' | 'auth.redeem' | 'auth.signOut' | 'me.get' | 'tokens.list' | 'tokens.create' | 'tokens.revoke';

interface TokenRow { id: string; name: string; prefix: string; createdAt: Date; lastUsedAt: Date | null; expiresAt: Date | null }
const toTokenInfo = (r: TokenRow) => ({
  id: r.id, name: r.name, prefix: r.prefix, createdAt: r.createdAt.toISOString(),
  lastUsedAt: r.lastUsedAt?.toISOString() ?? null, expiresAt: r.expiresAt?.toISOString() ?? null,
});

export function authHandlers(services: Services): Pick<Handlers, AuthRoutes> {
  const { sql, config } = services;
  return {
    'auth.signUp': async ({ body }) => {
      if (config.signup === 'invite' && !body.invite) throw forbidden('sign-up needs an invite code on this server');
      const passwordHash = await hashPassword(body.password);
      return sql.begin(async (tx) => {
        let invite: { id: string; teamId: string; role: string } | undefined;
        if (body.invite) {
          [invite] = await tx<{ id: string; teamId: string; role: string }[]>`
            SELECT id, team_id, role FROM invites
            WHERE code_hash = ${hashToken(body.invite)} AND used_at IS NULL AND expires_at > now() FOR UPDATE`;
          if (!invite) throw new AppError('forbidden', 'the invite code is invalid, used or expired');
        }
        const { user, teamId } = await createUser(tx, { email: body.email, name: body.name, passwordHash });
        await audit(tx, { teamId, actorId: user.id, action: 'user.signup', target: user.id });
        if (invite) {
          await tx`UPDATE invites SET used_at = now(), used_by = ${user.id} WHERE id = ${invite.id}`;
          await tx`INSERT INTO memberships (team_id, user_id, role) VALUES (${invite.teamId}, ${user.id}, ${invite.role})`;
          await audit(tx, { teamId: invite.teamId, actorId: user.id, action: 'member.join', target: user.id, detail: { role: invite.role } });
        }
        return issueSession(services, tx, user);
      });
    },
    'auth.signIn': async ({ body }) => {
      const user = await findUserByEmail(sql, body.email);
      const ok = await verifyPassword(body.password, user?.passwordHash ?? null);
      if (!user || !ok) throw unauthorized('wrong email or password');
      return issueSession(services, sql, user);
    },
    'auth.refresh': async ({ body }) => rotateRefreshToken(services, body.refreshToken),
    'auth.redeem': async ({ body }) => {
      const [user] = await sql<UserRow[]>`
        UPDATE sign_in_tokens s SET used_at = now() FROM users u
        WHERE s.token_hash = ${hashToken(body.token)} AND s.used_at IS NULL AND s.expires_at > now() AND u.id = s.user_id
        RETURNING u.*`;
      if (!user) throw unauthorized('the sign-in token is invalid, used or expired');
      return issueSession(services, sql, user);
    },
    'auth.signOut': async ({ body }) => {
      await revokeRefreshFamily(sql, body.refreshToken);
      return { ok: true as const };
    },
    'me.get': async ({ user }) => {
      const [row] = await sql<UserRow[]>`SELECT * FROM users WHERE id = ${user.id}`;
      if (!row) throw unauthorized('the account no longer exists');
      const teams = await sql<{ id: string; name: string; role: 'owner' | 'admin' | 'member' }[]>`
        SELECT t.id, t.name, m.role FROM teams t JOIN memberships m ON m.team_id = t.id WHERE m.user_id = ${user.id} ORDER BY t.created_at, t.id`;
      return { user: toUser(row), teams: [...teams] };
    },
    'tokens.list': async ({ user }) => {
      const rows = await sql<TokenRow[]>`
        SELECT id, name, prefix, created_at, last_used_at, expires_at FROM api_tokens
        WHERE user_id = ${user.id} AND revoked_at IS NULL ORDER BY created_at DESC`;
      return { items: rows.map(toTokenInfo) };
    },
    'tokens.create': async ({ user, body }) => {
      const [count] = await sql<{ n: number }[]>`SELECT count(*)::int AS n FROM api_tokens WHERE user_id = ${user.id} AND revoked_at IS NULL`;
      if (count && count.n >= 100) throw conflict('you have 100 API tokens already; revoke some first');
      const token = newToken('pat');
      const [row] = await sql<TokenRow[]>`
        INSERT INTO api_tokens (user_id, name, prefix, token_hash, expires_at)
        VALUES (${user.id}, ${body.name}, ${token.token.slice(0, 12)}, ${token.hash},
                ${body.expiresInDays ? sql`now() + make_interval(days => ${body.expiresInDays})` : null})
        RETURNING id, name, prefix, created_at, last_used_at, expires_at`;
      await audit(sql, { actorId: user.id, action: 'token.create', target: row!.id });
      return { token: token.token, info: toTokenInfo(row!) };
    },
    'tokens.revoke': async ({ user, params }) => {
      const [row] = await sql`UPDATE api_tokens SET revoked_at = now() WHERE id = ${params.tokenId} AND user_id = ${user.id} AND revoked_at IS NULL RETURNING id`;
      if (!row) throw notFound('token');
      await audit(sql, { actorId: user.id, action: 'token.revoke', target: params.tokenId });
      return { ok: true as const };
    },
  };
}
