import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { WS_CLOSE } from '../../protocol/ws';
import { lifecycleHarness, type LifecycleHarness } from '../reconcile/lifecycle.suite';
import { HostRuntime } from '../runtime/host/host-runtime';
import { silentLogger } from '../log';
import { startServer, type RunningServer } from '../server';
import { removeHostSandboxes } from '../testing/host-sandboxes';
import { ensureDaemonBundle } from '../testing/sandbox-image';
import { startTestServer, type TestServer } from '../testing/test-server';
import { openTestSocket, type TestSocket } from '../testing/ws-client';

const closed = (sock: TestSocket) => new Promise<{ code: number; reason: string }>((resolve) => {
  if (sock.ws.readyState === sock.ws.CLOSED) throw new Error('already closed');
  sock.ws.once('close', (code, reason) => resolve({ code, reason: reason.toString() }));
});

/** #8 item 2: a socket lives only as long as the credential it opened with. */
describe('WebSockets are bound to their credential', function () {
  this.timeout(90_000);
  let h: LifecycleHarness;
  let projectId: string;
  const dir = mkdtempSync(join(tmpdir(), 'slipway-ws-cred-'));

  before(async () => {
    await ensureDaemonBundle();
    h = await lifecycleHarness(new HostRuntime(dir), { sandboxImage: 'host' });
    projectId = (await h.create({ template: 'empty' })).id;
    await h.waitStatus(projectId, 'RUNNING');
  });
  after(async () => {
    await h?.s.close();
    await removeHostSandboxes(dir);
  });

  it('revoking an API token closes its sockets (4401) and no workspace or terminal call runs after', async () => {
    const created = await h.s.call('POST', '/api/tokens', { token: h.user.token, body: { name: 'editor' } });
    const pat: string = created.body.token;
    const sock = await openTestSocket(h.s.url, pat);
    const other = await openTestSocket(h.s.url, h.user.token);
    assert.ok((await sock.request('workspace.stat', { projectId, path: '.' })).result, 'works while the token holds');
    const end = closed(sock);
    assert.equal((await h.s.call('DELETE', `/api/tokens/${created.body.info.id}`, { token: h.user.token })).status, 200);
    assert.deepEqual(await end, { code: WS_CLOSE.credentials, reason: 'credentials_revoked' });
    await assert.rejects(openTestSocket(h.s.url, pat), (e: any) => e.status === 401);
    assert.ok((await other.request('workspace.stat', { projectId, path: '.' })).result, "the user's other sockets are untouched");
    await other.close();
  });

  it('signing out closes the sockets of that session and ends its access tokens', async () => {
    const signedIn = await h.s.call('POST', '/api/auth/signin', { body: { email: h.user.email, password: 'correct horse battery' } });
    const { accessToken, refreshToken } = signedIn.body;
    const sock = await openTestSocket(h.s.url, accessToken);
    const opened = await sock.request('terminal.open', { projectId });
    assert.ok(opened.result?.terminalId, JSON.stringify(opened));
    const end = closed(sock);
    assert.equal((await h.s.call('POST', '/api/auth/signout', { body: { refreshToken } })).status, 200);
    assert.deepEqual(await end, { code: WS_CLOSE.credentials, reason: 'credentials_revoked' });
    assert.equal((await h.s.call('GET', '/api/me', { token: accessToken })).status, 401, 'the access token of the session ended too');
    await assert.rejects(openTestSocket(h.s.url, accessToken), (e: any) => e.status === 401);
    assert.equal((await h.s.call('GET', '/api/me', { token: h.user.token })).status, 200, 'other sessions of the user go on');
  });

  it('a replayed refresh token ends the session and its sockets', async () => {
    const signedIn = await h.s.call('POST', '/api/auth/signin', { body: { email: h.user.email, password: 'correct horse battery' } });
    const rotated = await h.s.call('POST', '/api/auth/refresh', { body: { refreshToken: signedIn.body.refreshToken } });
    const sock = await openTestSocket(h.s.url, rotated.body.accessToken);
    const end = closed(sock);
    assert.equal((await h.s.call('POST', '/api/auth/refresh', { body: { refreshToken: signedIn.body.refreshToken } })).status, 401);
    assert.equal((await end).code, WS_CLOSE.credentials);
  });

  it('a revocation on one server process closes the sockets held by another', async () => {
    const second: RunningServer = await startServer({ ...h.s.services.config, port: 0 }, silentLogger(), { sql: h.s.db.sql, runtime: null });
    try {
      const created = await h.s.call('POST', '/api/tokens', { token: h.user.token, body: { name: 'elsewhere' } });
      const sock = await openTestSocket(second.url, created.body.token);
      assert.ok((await sock.request('ping')).result);
      const end = closed(sock);
      await h.s.call('DELETE', `/api/tokens/${created.body.info.id}`, { token: h.user.token });
      assert.deepEqual(await end, { code: WS_CLOSE.credentials, reason: 'credentials_revoked' });
    } finally {
      await second.close();
    }
  });
});

describe('WebSockets close when their access token expires', () => {
  let s: TestServer;
  before(async () => { s = await startTestServer({ accessTokenSeconds: 2 }); });
  after(async () => { await s.close(); });

  it('closes with 4401 credentials_expired and answers nothing after', async () => {
    const { token } = await s.signUp('brief');
    const sock = await openTestSocket(s.url, token);
    assert.ok((await sock.request('ping')).result);
    const started = Date.now();
    assert.deepEqual(await closed(sock), { code: WS_CLOSE.credentials, reason: 'credentials_expired' });
    assert.ok(Date.now() - started < 3500, 'at the expiry, not at the next heartbeat');
    await assert.rejects(openTestSocket(s.url, token), (e: any) => e.status === 401);
  });
});
