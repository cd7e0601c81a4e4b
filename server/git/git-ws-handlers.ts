import type { DaemonMethod, DaemonParamsIn, DaemonResult } from '../../protocol/daemon/methods';
import { commitIdentity } from './commit-identity';
import { sandboxForMember } from '../access/sandbox-access';
import type { Services } from '../services';
import type { WsEventData, WsEventName, WsMethod, WsParams, WsResult } from '../../protocol/ws';
import { GitCredentialStore } from './credential-store';

type GitMethods = Extract<WsMethod, `git.${string}`>;
/** The socket a call came on (ws-connection's, without importing the socket layer). */
interface WsConnection {
  user: { id: string };
  sendEvent<E extends WsEventName>(event: E, data: WsEventData<E>): void;
}
type GitHandlers = { [M in GitMethods]: (params: WsParams<M>, connection: WsConnection) => Promise<WsResult<M>> };
type Transfer = 'git.fetch' | 'git.pull' | 'git.push';

/**
 * Source Control for a project's team members: each call checks membership (404 for outsiders)
 * and a running sandbox (409), commits carry the caller as author, and a transfer gets the
 * caller's own credentials for that one git process, never anyone else's.
 */
export function gitWsHandlers(services: Pick<Services, 'sql' | 'secrets' | 'daemons'>): GitHandlers {
  const store = new GitCredentialStore(services.sql, services.secrets);
  const daemon = async (c: WsConnection, projectId: string) => (await sandboxForMember(services, c.user.id, projectId)).client;
  const call = async <M extends DaemonMethod>(c: WsConnection, projectId: string, method: M, params: DaemonParamsIn<M>): Promise<DaemonResult<M>> =>
    (await daemon(c, projectId)).call(method, params);

  /** Runs a transfer as the caller; with a progressId, over a stream of its own so progress reaches this socket. */
  const transfer = async <M extends Transfer>(c: WsConnection, projectId: string, method: M, params: DaemonParamsIn<M>, progressId: string | undefined) => {
    const client = await daemon(c, projectId);
    const [credentials, author] = await Promise.all([store.credentialsFor(c.user.id), commitIdentity(services.sql, c.user.id)]);
    const full = { ...params, credentials, author, progressId } as DaemonParamsIn<M>;
    if (!progressId) return client.call(method, full, { timeoutMs: 660_000 });
    const stream = await client.connect();
    try {
      stream.on('git.progress', (event) => c.sendEvent('git.progress', { ...event, projectId }));
      return await stream.call(method, full);
    } finally {
      stream.close();
    }
  };

  return {
    'git.status': ({ projectId }, c) => call(c, projectId, 'git.status', {}),
    'git.show': ({ projectId, ...p }, c) => call(c, projectId, 'git.show', p),
    'git.diff': ({ projectId, ...p }, c) => call(c, projectId, 'git.diff', p),
    'git.stage': ({ projectId, ...p }, c) => call(c, projectId, 'git.stage', p),
    'git.unstage': ({ projectId, ...p }, c) => call(c, projectId, 'git.unstage', p),
    'git.discard': ({ projectId, ...p }, c) => call(c, projectId, 'git.discard', p),
    'git.commit': async ({ projectId, ...p }, c) => {
      const client = await daemon(c, projectId);
      return client.call('git.commit', { ...p, author: await commitIdentity(services.sql, c.user.id) }, { timeoutMs: 130_000 });
    },
    'git.branches': ({ projectId }, c) => call(c, projectId, 'git.branches', {}),
    'git.switch': ({ projectId, ...p }, c) => call(c, projectId, 'git.switch', p),
    'git.fetch': ({ projectId, progressId }, c) => transfer(c, projectId, 'git.fetch', {}, progressId),
    'git.pull': ({ projectId, progressId }, c) => transfer(c, projectId, 'git.pull', {}, progressId),
    'git.push': ({ projectId, progressId, ...p }, c) => transfer(c, projectId, 'git.push', p, progressId),
  };
}
