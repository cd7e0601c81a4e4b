import assert from 'node:assert/strict';
import { Backoff } from '../../protocol/client/backoff';
import { createRestClient, type FetchLike } from '../../protocol/client/rest-client';
import { SocketClient, type SocketState } from '../../protocol/client/socket-client';
import { stopTestCluster } from '../../server/testing/postgres';
import { startTestServer, type TestServer } from '../../server/testing/test-server';
import { startProxy } from '../connection/tcp-proxy.testing';
import { connectWithWs } from '../connection/ws-transport';
import { describeError } from '../describe-error';
import type { Logger } from '../log';
import { ProjectsModel } from './projects-model';
import { ProjectsSync } from './projects-sync';

after(() => stopTestCluster());

const quiet: Logger = { trace() {}, info() {}, warn() {}, error() {} };

async function until(check: () => boolean, what: string, ms = 8000): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

describe('Projects sync over the real WebSocket', () => {
  let s: TestServer;
  before(async () => { s = await startTestServer(); });
  after(async () => { await s.close(); });

  it('lists teams and projects, follows pushed changes, and survives a dropped connection', async () => {
    const { token, teamId } = await s.signUp('sync');
    const pat = (await s.call('POST', '/api/tokens', { token, body: { name: 'sync' } })).body.token as string;
    const proxy = await startProxy(Number(new URL(s.url).port));
    const states: SocketState['status'][] = [];
    const socket = new SocketClient({
      baseUrl: proxy.url, token: () => pat, connect: connectWithWs, heartbeatMs: 0,
      backoff: new Backoff({ initialMs: 50, maxMs: 200 }),
    });
    socket.onState((st) => states.push(st.status));
    const model = new ProjectsModel();
    const rest = createRestClient({ baseUrl: proxy.url, fetch: globalThis.fetch as FetchLike, token: () => pat });
    const first = (await s.call('POST', '/api/projects', { token: pat, body: { teamId, name: 'Before', template: 'empty' } })).body;
    socket.start();
    const sync = new ProjectsSync(model, rest, socket, quiet, (e) => describeError(e, proxy.url));
    try {
      await until(() => model.projects(teamId)?.length === 1, 'the first snapshot');
      assert.equal(model.teams[0]!.id, teamId);
      assert.equal(model.find(first.id)!.name, 'Before');

      await s.call('POST', `/api/projects/${first.id}/stop`, { token: pat });
      await until(() => model.find(first.id)?.desiredState === 'STOPPED', 'the pushed stop');

      proxy.cut();
      await until(() => states.includes('waiting'), 'the drop to be noticed');
      const second = (await s.call('POST', '/api/projects', { token: pat, body: { teamId, name: 'While away', template: 'empty' } })).body;
      await until(() => socket.state.status === 'open', 'the reconnection');
      await until(() => model.find(second.id) !== undefined, 'the snapshot after re-subscribing');

      await s.call('DELETE', `/api/projects/${second.id}`, { token: pat });
      await until(() => model.find(second.id)?.status === 'TERMINATING', 'a push on the new connection');
    } finally {
      sync.dispose();
      socket.stop();
      await proxy.close();
    }
  });

  it('reports a revoked token as refused, without retrying', async () => {
    const { token } = await s.signUp('revoked');
    const created = (await s.call('POST', '/api/tokens', { token, body: { name: 'gone' } })).body;
    await s.call('DELETE', `/api/tokens/${created.info.id}`, { token });
    const socket = new SocketClient({ baseUrl: s.url, token: () => created.token, connect: connectWithWs, heartbeatMs: 0 });
    socket.start();
    await until(() => socket.state.status === 'refused', 'the refusal');
    assert.ok(socket.state.status === 'refused' && socket.state.error.code === 'unauthorized' && socket.state.error.status === 401);
    socket.stop();
  });
});
