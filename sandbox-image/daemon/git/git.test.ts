import assert from 'node:assert/strict';
import { mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { DaemonClientError } from '../../../server/daemon-client/daemon-client-error';
import type { TestDaemon } from '../testing/test-daemon';
import { startTestDaemon } from '../testing/test-daemon';
import type { GitHttpServer } from './testing/git-http-server';
import { startGitHttpServer } from './testing/git-http-server';
import { git, seedBareRepository } from './testing/git-fixture';

const alice = { name: 'Alice', email: 'alice@example.com' };
const rejectsWith = (promise: Promise<unknown>, code: string, text?: RegExp) =>
  assert.rejects(promise, (e: unknown) => e instanceof DaemonClientError && e.code === code && (!text || text.test(e.message)));

describe('daemon git', () => {
  let t: TestDaemon;
  beforeEach(async () => {
    t = await startTestDaemon();
  });
  afterEach(async () => t.stop());

  const init = async () => {
    git(t.workspace, 'init', '-q', '-b', 'main');
    await writeFile(path.join(t.workspace, 'a.txt'), 'one\n');
    git(t.workspace, 'add', '-A');
    git(t.workspace, 'commit', '-q', '-m', 'first');
  };

  it('says when the workspace is not a repository, and never reports one above it', async () => {
    assert.deepEqual(await t.client.call('git.status', {}), { repository: false });
    await rejectsWith(t.client.call('git.branches', {}), 'not_found');
  });

  it('lists changes and staged files from porcelain v2, including odd names and renames', async () => {
    await init();
    await writeFile(path.join(t.workspace, 'a.txt'), 'two\n');
    await writeFile(path.join(t.workspace, 'new file\twith tab.txt'), 'x');
    git(t.workspace, 'mv', 'a.txt', 'b.txt');
    await writeFile(path.join(t.workspace, 'b.txt'), 'three\n');
    const status = await t.client.call('git.status', {});
    assert.ok(status.repository);
    assert.equal(status.branch.head, 'main');
    assert.match(status.branch.oid ?? '', /^[0-9a-f]{40}$/);
    const byPath = Object.fromEntries(status.changes.map((c) => [c.path, c]));
    assert.deepEqual(byPath['b.txt'], { path: 'b.txt', origPath: 'a.txt', index: 'R', worktree: 'M', conflict: false });
    assert.deepEqual(byPath['new file\twith tab.txt'], { path: 'new file\twith tab.txt', origPath: null, index: '.', worktree: '?', conflict: false });
  });

  it('stages, unstages, discards, shows HEAD and index versions, and diffs', async () => {
    await init();
    await writeFile(path.join(t.workspace, 'a.txt'), 'changed\n');
    await writeFile(path.join(t.workspace, 'u.txt'), 'untracked\n');
    const head = await t.client.call('git.show', { path: 'a.txt' });
    assert.equal(Buffer.from(head.base64, 'base64').toString(), 'one\n');
    assert.deepEqual(await t.client.call('git.show', { path: 'u.txt' }), { exists: false, base64: '', size: 0, tooLarge: false });
    assert.match((await t.client.call('git.diff', { path: 'a.txt' })).diff, /-one\n\+changed/);

    await t.client.call('git.stage', { paths: ['a.txt'] });
    let status = await t.client.call('git.status', {});
    assert.ok(status.repository);
    assert.deepEqual(status.changes.map((c) => [c.path, c.index, c.worktree]), [['a.txt', 'M', '.'], ['u.txt', '.', '?']]);
    assert.equal(Buffer.from((await t.client.call('git.show', { path: 'a.txt', ref: 'index' })).base64, 'base64').toString(), 'changed\n');
    assert.match((await t.client.call('git.diff', { staged: true })).diff, /\+changed/);

    await t.client.call('git.unstage', { all: true });
    status = await t.client.call('git.status', {});
    assert.ok(status.repository);
    assert.deepEqual(status.changes.map((c) => [c.path, c.index, c.worktree]), [['a.txt', '.', 'M'], ['u.txt', '.', '?']]);

    await t.client.call('git.discard', { paths: ['a.txt', 'u.txt'] });
    assert.equal(await readFile(path.join(t.workspace, 'a.txt'), 'utf8'), 'one\n');
    await assert.rejects(stat(path.join(t.workspace, 'u.txt')));
    status = await t.client.call('git.status', {});
    assert.ok(status.repository && status.changes.length === 0);
  });

  it('commits as the user with co-authors, amends, and refuses an empty commit', async () => {
    await init();
    await rejectsWith(t.client.call('git.commit', { message: 'nothing', author: alice }), 'conflict', /nothing is staged/);
    await writeFile(path.join(t.workspace, 'a.txt'), 'two\n');
    await t.client.call('git.stage', { all: true });
    const made = await t.client.call('git.commit', { message: 'Second\n\nbody', author: alice, coAuthors: [{ name: 'Bob', email: 'bob@example.com' }] });
    assert.equal(made.summary, 'Second');
    assert.equal(git(t.workspace, 'log', '-1', '--format=%an <%ae>'), 'Alice <alice@example.com>\n');
    assert.match(git(t.workspace, 'log', '-1', '--format=%B'), /Co-authored-by: Bob <bob@example.com>/);
    const amended = await t.client.call('git.commit', { message: 'Second, amended', amend: true, author: alice });
    assert.notEqual(amended.oid, made.oid);
    assert.equal(git(t.workspace, 'rev-list', '--count', 'HEAD'), '2\n');
    await rejectsWith(t.client.call('git.commit', { message: '  ', author: alice }), 'bad_request');
  });

  it('lists, creates and switches branches; refuses bad names and paths outside', async () => {
    await init();
    await t.client.call('git.switch', { branch: 'feature/x', create: true });
    await t.client.call('git.switch', { branch: 'main' });
    const { branches } = await t.client.call('git.branches', {});
    assert.deepEqual(branches.map((b) => [b.name, b.current, b.remote]), [['feature/x', false, false], ['main', true, false]]);
    await rejectsWith(t.client.call('git.switch', { branch: '--orphan' }), 'validation_failed');
    await rejectsWith(t.client.call('git.switch', { branch: 'nope' }), 'conflict');
    await rejectsWith(t.client.call('git.stage', { paths: ['../outside'] }), 'forbidden');
    await rejectsWith(t.client.call('git.show', { path: '.git/config' }), 'forbidden');
  });

  it('ignores GIT_DIR and friends in the project environment (the checkpoint repository stays out)', async () => {
    await init();
    const elsewhere = await mkdtemp(path.join(tmpdir(), 'slipway-gitdir-'));
    git(elsewhere, 'init', '-q');
    await t.client.call('env.set', { vars: { GIT_DIR: path.join(elsewhere, '.git'), GIT_WORK_TREE: elsewhere } });
    const status = await t.client.call('git.status', {});
    assert.ok(status.repository && status.branch.head === 'main' && status.branch.oid);
    await rm(elsewhere, { recursive: true, force: true });
  });

  it('gives an SSH key to ssh for the one process only, and says when the host cannot be reached', async () => {
    const tmpDirs = async () => (await readdir(tmpdir())).filter((n) => n.startsWith('slipway-git-'));
    const before = new Set(await tmpDirs());
    const key = '-----BEGIN OPENSSH PRIVATE KEY-----\nnot-a-real-key\n-----END OPENSSH PRIVATE KEY-----\n';
    await rejectsWith(t.client.call('git.clone', { url: 'ssh://git@127.0.0.1:1/app.git', credentials: { sshKey: key } }), 'bad_request', /cannot be reached/);
    const mine = (await tmpDirs()).filter((n) => !before.has(n));
    assert.equal(mine.length, 1, 'the daemon made one private directory');
    assert.deepEqual(await readdir(path.join(tmpdir(), mine[0]!)), ['credential-helper'], 'the key file is gone with its process');
    assert.equal((await stat(path.join(tmpdir(), mine[0]!))).mode & 0o777, 0o700);
  });

  describe('over the network, with one user\'s credentials', () => {
    let server: GitHttpServer;
    let root: string;
    beforeEach(async () => {
      root = await mkdtemp(path.join(tmpdir(), 'slipway-gitsrv-'));
      await seedBareRepository(root, '# hello\n');
      server = await startGitHttpServer({ root, tokens: { alice: 'alice-token', bob: 'bob-token' } });
    });
    afterEach(async () => {
      await server.close();
      await rm(root, { recursive: true, force: true });
    });
    const host = () => new URL(server.url).host;
    const as = (username: string, password: string) => ({ https: [{ host: host(), username, password }] });

    it('clones with progress, commits and pushes; the server has the commit by the right user', async () => {
      const stream = await t.client.connect();
      const progress: string[] = [];
      stream.on('git.progress', (e) => progress.push(e.text));
      await stream.call('git.clone', { url: `${server.url}/app.git`, credentials: as('alice', 'alice-token'), progressId: 'p1' });
      stream.close();
      assert.equal(await readFile(path.join(t.workspace, 'README.md'), 'utf8'), '# hello\n');
      assert.ok(progress.length > 0, 'progress events arrived');
      await writeFile(path.join(t.workspace, 'README.md'), '# changed\n');
      await t.client.call('git.commit', { message: 'change', all: true, author: alice });
      await t.client.call('git.push', { credentials: as('alice', 'alice-token') });
      assert.equal(git(path.join(root, 'app.git'), 'log', '-1', '--format=%s %an', 'main'), 'change Alice\n');
      const pushes = server.requests.filter((r) => r.path.endsWith('git-receive-pack') && r.status === 200);
      assert.deepEqual([...new Set(pushes.map((r) => r.user))], ['alice']);
    });

    it('fails clearly for a wrong token, a missing repository and no credentials, leaving nothing behind', async () => {
      await rejectsWith(t.client.call('git.clone', { url: `${server.url}/app.git`, credentials: as('alice', 'wrong') }), 'forbidden', /authentication failed/);
      await rejectsWith(t.client.call('git.clone', { url: `${server.url}/app.git` }), 'forbidden', /authentication failed/);
      await rejectsWith(t.client.call('git.clone', { url: `${server.url}/missing.git`, credentials: as('alice', 'alice-token') }), 'not_found');
      assert.deepEqual(await t.client.call('git.status', {}), { repository: false });
      await rejectsWith(t.client.call('git.clone', { url: 'file:///etc' }), 'validation_failed');
      await rejectsWith(t.client.call('git.clone', { url: 'ext::sh -c touch% /tmp/x' }), 'validation_failed');
    });

    it('never hands one user\'s token to another call, and a grant works once and only while its process runs', async () => {
      await t.client.call('git.clone', { url: `${server.url}/app.git`, credentials: as('bob', 'bob-token') });
      // A hook planted in the repository must not run while a grant is live.
      await writeFile(path.join(t.workspace, '.git/hooks/pre-push'), '#!/bin/sh\necho leaked > "$0.ran"\n', { mode: 0o755 });
      await writeFile(path.join(t.workspace, 'x.txt'), 'x');
      await t.client.call('git.stage', { all: true });
      await t.client.call('git.commit', { message: 'by alice', author: alice });
      await rejectsWith(t.client.call('git.push', { credentials: as('alice', 'wrong') }), 'forbidden');
      await t.client.call('git.push', { credentials: as('alice', 'alice-token') });
      await assert.rejects(stat(path.join(t.workspace, '.git/hooks/pre-push.ran')));
      const users = server.requests.filter((r) => r.status === 200).map((r) => r.user);
      assert.deepEqual([...new Set(users)].sort(), ['alice', 'bob']);
      assert.ok(server.requests.filter((r) => r.path.endsWith('git-receive-pack') && r.status === 200).every((r) => r.user === 'alice'));
      // After the process ended, its grant answers nothing.
      const res = await fetch(`${t.daemon.url}/git/credential`, { method: 'POST', headers: { authorization: 'Grant made-up' }, body: 'protocol=http\nhost=x\n\n' });
      assert.equal(res.status, 403);
    });
  });
});
