import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { HostRuntime } from '../runtime/host/host-runtime';
import { lifecycleHarness, type LifecycleHarness } from '../reconcile/lifecycle.suite';
import { removeHostSandboxes } from '../testing/host-sandboxes';
import { ensureDaemonBundle } from '../testing/sandbox-image';
import { openTestSocket, type TestSocket } from '../testing/ws-client';
import { startGitHttpServer, type GitHttpServer } from '../../sandbox-image/daemon/git/testing/git-http-server';
import { git, seedBareRepository } from '../../sandbox-image/daemon/git/testing/git-fixture';


/**
 * Git through the server, as users drive it: a project cloned from a real smart-HTTP Git server,
 * changed through the editor's file API, committed and pushed from the WebSocket, each user with
 * their own token.
 */
describe('Git through the server (host runtime)', function () {
  this.timeout(90_000);
  const dir = mkdtempSync(join(tmpdir(), 'slipway-git-host-'));
  const repos = mkdtempSync(join(tmpdir(), 'slipway-git-repos-'));
  let h: LifecycleHarness;
  let server: GitHttpServer;
  let bob: Awaited<ReturnType<LifecycleHarness['s']['signUp']>>;
  let outsider: Awaited<ReturnType<LifecycleHarness['s']['signUp']>>;
  let host: string;

  before(async () => {
    await ensureDaemonBundle();
    await seedBareRepository(repos);
    server = await startGitHttpServer({ root: repos, tokens: { alice: 'alice-secret-token', bob: 'bob-secret-token' } });
    host = new URL(server.url).host;
    h = await lifecycleHarness(new HostRuntime(dir), { sandboxImage: 'host' });
    bob = await h.s.signUp('bob');
    outsider = await h.s.signUp('eve');
    await h.s.addMember(h.user, h.user.teamId, bob);
  });
  after(async () => {
    await h?.s.close();
    await server?.close();
    await removeHostSandboxes(dir);
    await rm(repos, { recursive: true, force: true });
  });

  const setToken = (token: string, username: string, who = h.user.token) =>
    h.s.call('PUT', `/api/git/tokens/${encodeURIComponent(host)}`, { token: who, body: { token, username } });

  it('keeps tokens per user, encrypted, never returned; validates hosts', async () => {
    const put = await setToken('alice-secret-token', 'alice');
    assert.equal(put.status, 200, JSON.stringify(put.body));
    assert.deepEqual(Object.keys(put.body).sort(), ['host', 'updatedAt', 'username']);
    const listed = await h.s.call('GET', '/api/git/tokens', { token: h.user.token });
    assert.deepEqual(listed.body.items.map((i: { host: string }) => i.host), [host]);
    assert.ok(!JSON.stringify(listed.body).includes('alice-secret-token'));
    assert.deepEqual((await h.s.call('GET', '/api/git/tokens', { token: bob.token })).body.items, []);
    const [row] = await h.s.db.sql<{ token: Buffer }[]>`SELECT token FROM git_tokens WHERE host = ${host}`;
    assert.ok(!row!.token.toString('latin1').includes('alice-secret-token'), 'sealed at rest');
    assert.equal((await h.s.call('PUT', '/api/git/tokens/bad%20host', { token: h.user.token, body: { token: 'x' } })).status, 422);
    assert.equal((await h.s.call('PUT', `/api/git/tokens/${host}`, { token: h.user.token, body: { token: 'a\nb' } })).status, 422);
    assert.equal((await h.s.call('DELETE', '/api/git/tokens/nowhere.example', { token: h.user.token })).status, 404);
  });

  it('makes one SSH key per user and shows only its public half', async () => {
    const first = await h.s.call('GET', '/api/git/ssh-key', { token: h.user.token });
    assert.match(first.body.publicKey, /^ssh-ed25519 AAAA\S+ /);
    assert.match(first.body.fingerprint, /^SHA256:/);
    assert.equal((await h.s.call('GET', '/api/git/ssh-key', { token: h.user.token })).body.publicKey, first.body.publicKey);
    assert.notEqual((await h.s.call('GET', '/api/git/ssh-key', { token: bob.token })).body.publicKey, first.body.publicKey);
    const rotated = await h.s.call('POST', '/api/git/ssh-key', { token: h.user.token });
    assert.notEqual(rotated.body.publicKey, first.body.publicKey);
    assert.ok(!JSON.stringify(rotated.body).includes('PRIVATE'));
  });

  it('refuses bad Git URLs when creating a project', async () => {
    for (const url of ['file:///etc', '/srv/repo.git', 'ext::sh -c id', '-u evil', 'https://']) {
      const res = await h.s.call('POST', '/api/projects', { token: h.user.token, body: { teamId: h.user.teamId, name: 'bad', git: { url } } });
      assert.equal(res.status, 422, `${url}: ${JSON.stringify(res.body)}`);
    }
  });

  it('says clearly when the repository is missing or the token is wrong', async () => {
    const missing = await h.create({ git: { url: `${server.url}/missing.git` } });
    const failed = await h.waitStatus(missing.id, 'ERROR');
    assert.match(failed.statusMessage ?? '', /not found/);
    await setToken('wrong-token', 'bob', bob.token);
    const res = await h.s.call('POST', '/api/projects', { token: bob.token, body: { teamId: h.user.teamId, name: 'denied', git: { url: `${server.url}/app.git` } } });
    const denied = await h.waitStatus(res.body.id, 'ERROR');
    assert.match(denied.statusMessage ?? '', /authentication failed/);
    assert.ok(!(denied.statusMessage ?? '').includes('wrong-token'));
  });

  describe('a project cloned from Git', () => {
    let projectId: string;
    let alice: TestSocket;
    let bobSocket: TestSocket;
    before(async () => {
      projectId = (await h.create({ git: { url: `${server.url}/app.git`, branch: 'main' } })).id;
      await h.waitStatus(projectId, 'RUNNING');
      alice = await openTestSocket(h.s.url, h.user.token);
      bobSocket = await openTestSocket(h.s.url, bob.token);
    });
    after(async () => {
      await alice?.close();
      await bobSocket?.close();
    });
    const files = (path: string, text: string) => fetch(`${h.s.url}/api/projects/${projectId}/files?path=${encodeURIComponent(path)}`, {
      method: 'PUT', headers: { authorization: `Bearer ${h.user.token}`, 'content-type': 'application/octet-stream' }, body: new TextEncoder().encode(text),
    });

    it('shows a change made through the editor\'s file API, commits as the user and pushes with their token', async () => {
      assert.equal((await files('README.md', '# app, edited\n')).status, 200);
      const status = (await alice.request('git.status', { projectId })).result;
      assert.equal(status.branch.head, 'main');
      assert.deepEqual(status.changes.map((c: { path: string; worktree: string }) => [c.path, c.worktree]), [['README.md', 'M']]);
      const head = (await alice.request('git.show', { projectId, path: 'README.md' })).result;
      assert.equal(Buffer.from(head.base64, 'base64').toString(), '# app\n');
      assert.ok((await alice.request('git.stage', { projectId, all: true })).result.ok);
      const commit = (await alice.request('git.commit', { projectId, message: 'Edit the README' })).result;
      assert.equal(commit.summary, 'Edit the README');
      const pushed = await alice.request('git.push', { projectId, progressId: 'push-1' });
      assert.ok(pushed.result?.ok, JSON.stringify(pushed.error));
      const progress = await alice.next((f) => f.event === 'git.progress', 1000).catch(() => undefined);
      assert.equal(progress?.data.projectId, projectId);
      const onServer = git(join(repos, 'app.git'), 'log', '-1', '--format=%s|%an|%ae', 'main').trim();
      assert.equal(onServer, `Edit the README|builder|${h.user.email}`);
    });

    it('uses each user\'s own token: two users\' credentials never mix', async () => {
      // Bob's token is wrong: his push fails clearly, and Alice's is never used for him.
      await files('b.txt', 'from bob\n');
      await bobSocket.request('git.stage', { projectId, paths: ['b.txt'] });
      assert.ok((await bobSocket.request('git.commit', { projectId, message: 'By Bob' })).result);
      const before = server.requests.length;
      const denied = await bobSocket.request('git.push', { projectId });
      assert.equal(denied.error?.reason, 'git_auth_failed', JSON.stringify(denied));
      assert.ok(server.requests.slice(before).every((r) => r.user !== 'alice'), 'Alice\'s token was never presented for Bob');
      await setToken('bob-secret-token', 'bob', bob.token);
      const since = server.requests.length;
      assert.ok((await bobSocket.request('git.push', { projectId })).result?.ok);
      const pushes = server.requests.slice(since).filter((r) => r.path.endsWith('git-receive-pack') && r.status === 200);
      assert.deepEqual([...new Set(pushes.map((r) => r.user))], ['bob']);
      assert.match(git(join(repos, 'app.git'), 'log', '-1', '--format=%s|%an', 'main'), /^By Bob\|bob/);
    });

    it('branches, and keeps outsiders out', async () => {
      assert.ok((await alice.request('git.switch', { projectId, branch: 'feature', create: true })).result.ok);
      const branches = (await alice.request('git.branches', { projectId })).result.branches;
      assert.ok(branches.some((b: { name: string; current: boolean }) => b.name === 'feature' && b.current));
      assert.ok(branches.some((b: { name: string; remote: boolean }) => b.name === 'origin/main' && b.remote));
      const eve = await openTestSocket(h.s.url, outsider.token);
      try {
        for (const [method, params] of [['git.status', {}], ['git.push', {}], ['git.commit', { message: 'x' }], ['git.show', { path: 'README.md' }]] as const) {
          assert.equal((await eve.request(method, { projectId, ...params })).error?.code, 'not_found', method);
        }
      } finally {
        await eve.close();
      }
    });
  });
});
