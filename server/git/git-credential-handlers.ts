import type { Handlers } from '../http/route-binder';
import { notFound } from '../errors';
import type { Services } from '../services';
import { GitCredentialStore } from './credential-store';

type Routes = 'git.tokens.list' | 'git.tokens.put' | 'git.tokens.delete' | 'git.sshKey.get' | 'git.sshKey.rotate';

/** Each user manages only their own Git credentials: there is no user id in these routes to get wrong. */
export function gitCredentialHandlers(services: Pick<Services, 'sql' | 'secrets'>): Pick<Handlers, Routes> {
  const store = new GitCredentialStore(services.sql, services.secrets);
  return {
    'git.tokens.list': async ({ user }) => ({ items: await store.listTokens(user.id) }),
    'git.tokens.put': async ({ user, params, body }) => store.putToken(user.id, params.host, body.username, body.token),
    'git.tokens.delete': async ({ user, params }) => {
      if (!(await store.deleteToken(user.id, params.host))) throw notFound('token for that host');
      return { ok: true as const };
    },
    'git.sshKey.get': async ({ user }) => store.sshKey(user.id, user.email),
    'git.sshKey.rotate': async ({ user }) => store.sshKey(user.id, user.email, true),
  };
}
