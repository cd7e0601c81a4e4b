import { audit } from '../audit/audit-store';
import { AppError, conflict, forbidden, notFound, unauthorized } from '../errors';
import type { Handlers } from '../http/route-binder';
import type { Services } from '../services';
import { addMembership, lockInviteCode, markInviteCodeUsed, teamsOfUser } from '../teams/team-store';
import { newToken } from './opaque-token';
import { hashPassword, verifyPassword } from './passwords';
import { issueSession, rotateRefreshToken, signOut } from './sessions';
import { countActiveApiTokens, insertApiToken, listApiTokens, revokeApiToken } from './token-store';
import { createUser, findUserByEmail, redeemSignInToken, toUser, userById } from './user-store';

type AuthRoutes = 'auth.signUp' | 'auth.signIn' | 'auth.refresh' | 'auth.redeem' | 'auth.signOut' | 'me.get' | 'tokens.list' | 'tokens.create' | 'tokens.revoke';

export function authHandlers(services: Pick<Services, 'sql' | 'config' | 'jwtKey'>): Pick<Handlers, AuthRoutes> {
  const { sql, config } = services;
  return {
    'auth.signUp': async ({ body }) => {
      if (config.signup === 'invite' && !body.invite) throw forbidden('sign-up needs an invite code on this server');
      const passwordHash = await hashPassword(body.password);
      return sql.begin(async (tx) => {
        const invite = body.invite ? await lockInviteCode(tx, body.invite) : undefined;
        if (body.invite && !invite) throw new AppError('forbidden', 'the invite code is invalid, used or expired');
        const { user, teamId } = await createUser(tx, { email: body.email, name: body.name, passwordHash });
        await audit(tx, { teamId, actorId: user.id, action: 'user.signup', target: user.id });
        if (invite) {
          await markInviteCodeUsed(tx, invite.id, user.id);
          await addMembership(tx, invite.teamId, user.id, invite.role);
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
      const user = await redeemSignInToken(sql, body.token);
      if (!user) throw unauthorized('the sign-in token is invalid, used or expired');
      return issueSession(services, sql, user);
    },
    'auth.signOut': async ({ body }) => {
      await signOut(sql, body.refreshToken);
      return { ok: true as const };
    },
    'me.get': async ({ user }) => {
      const row = await userById(sql, user.id);
      if (!row) throw unauthorized('the account no longer exists');
      const teams = await teamsOfUser(sql, user.id);
      return { user: toUser(row), teams: teams.map(({ id, name, role }) => ({ id, name, role })) };
    },
    'tokens.list': async ({ user }) => ({ items: await listApiTokens(sql, user.id) }),
    'tokens.create': async ({ user, body }) => {
      if (await countActiveApiTokens(sql, user.id) >= 100) throw conflict('you have 100 API tokens already; revoke some first');
      const token = newToken('pat');
      const info = await insertApiToken(sql, { userId: user.id, name: body.name, token: token.token, hash: token.hash, expiresInDays: body.expiresInDays });
      await audit(sql, { actorId: user.id, action: 'token.create', target: info.id });
      return { token: token.token, info };
    },
    'tokens.revoke': async ({ user, params }) => {
      if (!await revokeApiToken(sql, user.id, params.tokenId)) throw notFound('token');
      await audit(sql, { actorId: user.id, action: 'token.revoke', target: params.tokenId });
      return { ok: true as const };
    },
  };
}
