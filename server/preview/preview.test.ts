import assert from 'node:assert/strict';
import { request } from 'node:http';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { HostRuntime } from '../runtime/host/host-runtime';
import { lifecycleHarness, type LifecycleHarness } from '../reconcile/lifecycle.suite';
import { freePort } from '../net/free-port';
import { removeHostSandboxes } from '../testing/host-sandboxes';
import { ensureDaemonBundle } from '../testing/sandbox-image';
import { waitFor } from '../testing/wait-for';

/** A tiny app for the sandbox: echoes request headers, and echoes bytes after a WebSocket-style upgrade. */
const APP = `
const http = require('node:http');
const server = http.createServer((req, res) => { res.setHeader('content-type', 'application/json'); res.end(JSON.stringify({ url: req.url, headers: req.headers })); });
server.on('upgrade', (req, socket) => { socket.write('HTTP/1.1 101 Switching Protocols\\r\\nUpgrade: websocket\\r\\nConnection: Upgrade\\r\\n\\r\\n'); socket.on('data', (d) => socket.write(d)); });
server.listen(Number(process.env.PORT), '127.0.0.1');
`;

interface Answer { status: number; headers: Record<string, string | string[] | undefined>; body: string }

describe('preview proxy', function () {
  this.timeout(60_000);
  let h: LifecycleHarness;
  let projectId: string;
  let slug: string;
  let appPort: number;
  const dir = mkdtempSync(join(tmpdir(), 'slipway-preview-'));

  /** Requests through the server with a preview Host header (as a browser resolving *.localhost does). */
  const get = (path: string, host: string, headers: Record<string, string> = {}) => new Promise<Answer>((resolve, reject) => {
    const url = new URL(h.s.url);
    const req = request({ host: url.hostname, port: url.port, path, headers: { host, ...headers } }, (res) => {
      let body = '';
      res.on('data', (c: Buffer) => (body += c)).on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end();
  });
  const hostFor = (port: number) => `${port}-${slug}.localhost:${new URL(h.s.url).port}`;

  before(async () => {
    await ensureDaemonBundle();
    h = await lifecycleHarness(new HostRuntime(dir), { sandboxImage: 'host' });
    const project = await h.create({ template: 'empty' });
    projectId = project.id;
    slug = project.slug;
    await h.waitStatus(projectId, 'RUNNING');
    appPort = await freePort();
    const daemon = await h.daemonOf(projectId);
    await daemon.writeFile('app.cjs', APP);
    await daemon.call('exec.start', { command: ['node', 'app.cjs'], env: { PORT: String(appPort) } });
    await waitFor(async () => (await h.s.call('GET', `/api/projects/${projectId}/ports`, { token: h.user.token })).body.items?.some((p: { port: number }) => p.port === appPort), { what: 'the app to listen' });
  });
  after(async () => {
    await h?.s.close();
    await removeHostSandboxes(dir);
  });

  it('lists listening ports without the daemon\'s own', async () => {
    const ports = (await h.s.call('GET', `/api/projects/${projectId}/ports`, { token: h.user.token })).body.items.map((p: { port: number }) => p.port);
    assert.ok(ports.includes(appPort));
    const daemonPort = Number(new URL((await h.s.db.sql`SELECT address FROM sandboxes WHERE project_id = ${projectId}`)[0]!.address).port);
    assert.ok(!ports.includes(daemonPort));
  });

  it('opens with the one-time link, then a cookie, and never forwards Slipway credentials', async () => {
    const link = await h.s.call('POST', `/api/projects/${projectId}/preview`, { token: h.user.token, body: { port: appPort } });
    assert.equal(link.status, 201);
    const url = new URL(link.body.url);
    assert.equal(url.hostname, `${appPort}-${slug}.localhost`);
    // The clean URL (what the Simple Browser shows once the token is traded) carries no token.
    assert.equal(link.body.cleanUrl, `${url.origin}/`);
    const launch = () => h.s.call('GET', `/api/preview-launches/${link.body.launchId}`, { token: h.user.token });
    assert.deepEqual((await launch()).body, { redeemed: false });
    const first = await get(`${url.pathname}${url.search}`, url.host);
    assert.equal(first.status, 302);
    assert.equal(first.headers.location, '/');
    const cookie = String(first.headers['set-cookie']).split(';')[0]!;
    assert.deepEqual((await launch()).body, { redeemed: true }, 'the launch is not marked redeemed');
    // One-time: used again without the cookie it opened, it is refused; the browser holding it just goes on.
    const replayed = await get(`${url.pathname}${url.search}`, url.host);
    assert.equal(replayed.status, 410);
    assert.match(replayed.body, /already used/);
    assert.equal(replayed.headers['set-cookie'], undefined);
    const reloaded = await get(`${url.pathname}${url.search}`, url.host, { cookie });
    assert.equal(reloaded.status, 302);
    assert.equal(reloaded.headers.location, '/');
    // A cookie's token is not a link.
    assert.equal((await get(`/?slipway_preview_token=${cookie.split('=')[1]}`, url.host)).status, 404);
    const other = await h.s.signUp('someone-else');
    assert.equal((await h.s.call('GET', `/api/preview-launches/${link.body.launchId}`, { token: other.token })).status, 404);
    assert.match(String(first.headers['set-cookie']), /HttpOnly/);
    const page = await get('/some/page?x=1', url.host, { cookie: `${cookie}; app_cookie=kept`, authorization: `Bearer ${h.user.token}` });
    assert.equal(page.status, 200);
    const seen = JSON.parse(page.body);
    assert.equal(seen.url, '/some/page?x=1');
    assert.equal(seen.headers.cookie, 'app_cookie=kept');
    assert.equal(seen.headers.authorization, undefined);
    assert.equal(seen.headers['x-forwarded-host'], url.host);
  });

  it('also accepts a bearer token (API clients, the extension)', async () => {
    const res = await get('/', hostFor(appPort), { authorization: `Bearer ${h.user.token}` });
    assert.equal(res.status, 200);
  });

  it('proxies WebSocket upgrades (hot reload)', async () => {
    const url = new URL(h.s.url);
    const echoed = await new Promise<string>((resolve, reject) => {
      const req = request({ host: url.hostname, port: url.port, path: '/hmr', headers: { host: hostFor(appPort), connection: 'Upgrade', upgrade: 'websocket', authorization: `Bearer ${h.user.token}` } });
      req.on('upgrade', (_res, socket) => {
        socket.once('data', (d: Buffer) => { resolve(d.toString()); socket.destroy(); });
        socket.write('ping-through-proxy');
      });
      req.on('response', (res) => reject(new Error(`no upgrade: ${res.statusCode}`)));
      req.on('error', reject);
      req.end();
    });
    assert.equal(echoed, 'ping-through-proxy');
  });

  it('refuses outsiders, anonymous visitors and forged links with the same 404', async () => {
    const outsider = await h.s.signUp('outsider');
    const theirs = await get('/', hostFor(appPort), { authorization: `Bearer ${outsider.token}` });
    const nobody = await get('/', hostFor(appPort));
    const forged = await get('/?slipway_preview_token=eyJhbGciOiJIUzI1NiJ9.e30.x', hostFor(appPort));
    const stranger = await h.s.call('POST', `/api/projects/${projectId}/preview`, { token: outsider.token, body: { port: appPort } });
    for (const res of [theirs, nobody, forged]) assert.equal(res.status, 404);
    assert.equal(stranger.status, 404);
    assert.equal((await get('/', `${appPort}-no-such-project.localhost`)).status, 404);
    // A bad bearer is told so, alike for a project that exists and one that does not.
    for (const host of [hostFor(appPort), `${appPort}-no-such-project.localhost`]) {
      const bad = await get('/', host, { authorization: 'Bearer slp_pat_not-a-real-token-at-all' });
      assert.equal(bad.status, 401);
      assert.match(bad.body, /invalid, expired or revoked/);
    }
  });

  /** Opens a preview link as a browser does and returns its cookie. */
  const openPreview = async (token: string): Promise<string> => {
    const link = await h.s.call('POST', `/api/projects/${projectId}/preview`, { token, body: { port: appPort } });
    assert.equal(link.status, 201, JSON.stringify(link.body));
    const url = new URL(link.body.url);
    const first = await get(`${url.pathname}${url.search}`, url.host);
    assert.equal(first.status, 302);
    return String(first.headers['set-cookie']).split(';')[0]!;
  };
  /** A hot-reload socket through the proxy on the preview cookie, shown to echo; resolves `closed` when it ends. */
  const openHmr = (cookie: string) => new Promise<{ closed: Promise<void> }>((resolve, reject) => {
    const url = new URL(h.s.url);
    const req = request({ host: url.hostname, port: url.port, path: '/hmr', headers: { host: hostFor(appPort), connection: 'Upgrade', upgrade: 'websocket', cookie } });
    req.on('upgrade', (_res, socket) => {
      const closed = new Promise<void>((done) => socket.once('close', () => done()));
      socket.on('error', () => {});
      socket.once('data', () => resolve({ closed }));
      socket.write('hello');
    });
    req.on('response', (res) => reject(new Error(`no upgrade: ${res.statusCode}`)));
    req.on('error', reject);
    req.end();
  });
  const within = <T>(p: Promise<T>, ms: number, what: string) =>
    Promise.race([p, new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`${what} within ${ms} ms`)), ms))]);

  describe('preview credentials end with the credential that opened them (#8)', () => {
    it('revoking the API token refuses its cookie and closes its hot-reload sockets', async () => {
      const created = await h.s.call('POST', '/api/tokens', { token: h.user.token, body: { name: 'preview' } });
      const cookie = await openPreview(created.body.token);
      assert.equal((await get('/', hostFor(appPort), { cookie })).status, 200);
      const hmr = await openHmr(cookie);
      assert.equal((await h.s.call('DELETE', `/api/tokens/${created.body.info.id}`, { token: h.user.token })).status, 200);
      await within(hmr.closed, 5000, 'the hot-reload socket to close');
      const after = await get('/', hostFor(appPort), { cookie });
      assert.equal(after.status, 401);
      assert.match(after.body, /Open the preview again/);
      await assert.rejects(openHmr(cookie), /no upgrade|socket hang up|401/);
    });

    it('signing out refuses the cookie of that session and closes its sockets; other sessions go on', async () => {
      const signedIn = await h.s.call('POST', '/api/auth/signin', { body: { email: h.user.email, password: 'correct horse battery' } });
      const cookie = await openPreview(signedIn.body.accessToken);
      const kept = await openPreview(h.user.token);
      const hmr = await openHmr(cookie);
      const other = await openHmr(kept);
      assert.equal((await h.s.call('POST', '/api/auth/signout', { body: { refreshToken: signedIn.body.refreshToken } })).status, 200);
      await within(hmr.closed, 5000, 'the hot-reload socket to close');
      assert.equal((await get('/', hostFor(appPort), { cookie })).status, 401);
      assert.equal((await get('/', hostFor(appPort), { cookie: kept })).status, 200);
      const stillOpen = await Promise.race([other.closed.then(() => false), new Promise<boolean>((r) => setTimeout(() => r(true), 300))]);
      assert.ok(stillOpen, "another session's socket stays open");
    });

    it('removal from the team closes the member\'s hot-reload sockets at once', async () => {
      const member = await h.s.signUp('previewer');
      await h.s.addMember(h.user, h.user.teamId, member);
      const cookie = await openPreview(member.token);
      const hmr = await openHmr(cookie);
      const me = await h.s.call('GET', '/api/me', { token: member.token });
      assert.equal((await h.s.call('DELETE', `/api/teams/${h.user.teamId}/members/${me.body.user.id}`, { token: h.user.token })).status, 200);
      await within(hmr.closed, 5000, 'the hot-reload socket to close');
      assert.equal((await get('/', hostFor(appPort), { cookie })).status, 404);
    });
  });

  it('never reaches the daemon\'s port, and explains a port with nothing on it', async () => {
    const daemonPort = Number(new URL((await h.s.db.sql`SELECT address FROM sandboxes WHERE project_id = ${projectId}`)[0]!.address).port);
    assert.equal((await get('/rpc/health', hostFor(daemonPort), { authorization: `Bearer ${h.user.token}` })).status, 403);
    const idle = await get('/', hostFor(await freePort()), { authorization: `Bearer ${h.user.token}` });
    assert.equal(idle.status, 502);
    assert.match(idle.body, /Nothing is listening/);
  });
});
