import assert from 'node:assert/strict';
import { lstat, mkdir, readdir, readFile, readlink, symlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { DaemonClientError } from '../../../server/daemon-client/daemon-client-error';
import type { TestDaemon } from '../testing/test-daemon';
import { startTestDaemon } from '../testing/test-daemon';

async function refused(promise: Promise<unknown>, codes: string[] = ['forbidden']): Promise<void> {
  await assert.rejects(promise, (error: unknown) => {
    assert.ok(error instanceof DaemonClientError, String(error));
    assert.ok(codes.includes(error.code), `expected ${codes.join('/')}, got ${error.code}: ${error.message}`);
    assert.ok(!error.message.includes('top secret'));
    return true;
  });
}

describe('daemon workspace confinement', () => {
  let t: TestDaemon;
  let before: string[];
  beforeEach(async () => {
    t = await startTestDaemon();
    await symlink('/etc', path.join(t.workspace, 'etc-link'));
    await symlink(t.outside, path.join(t.workspace, 'outside-dir'));
    await symlink(path.join(t.outside, 'secret.txt'), path.join(t.workspace, 'secret-link'));
    await symlink(path.join(t.outside, 'not-yet.txt'), path.join(t.workspace, 'dangling-link'));
    await writeFile(path.join(t.workspace, 'inside.txt'), 'inside');
    before = (await readdir(t.outside)).sort();
  });
  afterEach(async () => {
    // Nothing outside the workspace was created, changed or removed.
    assert.deepEqual((await readdir(t.outside)).sort(), before);
    assert.equal(await readFile(path.join(t.outside, 'secret.txt'), 'utf8'), 'top secret');
    await t.stop();
  });

  it('refuses .. segments, absolute paths elsewhere and NUL bytes', async () => {
    const c = t.client;
    await refused(c.readFile('../outside/secret.txt'));
    await refused(c.readFile('sub/../../outside/secret.txt'));
    await refused(c.call('fs.stat', { path: 'src/..' }));
    await refused(c.call('fs.list', { path: '..' }));
    await refused(c.readFile(path.join(t.outside, 'secret.txt')));
    await refused(c.readFile('/etc/passwd'));
    await refused(c.call('fs.stat', { path: '/' }));
    await refused(c.writeFile('../outside/new.txt', 'x'));
    await refused(c.writeFile(path.join(t.outside, 'new.txt'), 'x'));
    await refused(c.call('fs.mkdir', { path: '../outside/newdir' }));
    await refused(c.call('fs.delete', { path: '../outside/secret.txt' }));
    await refused(c.call('fs.stat', { path: 'a\u0000b' }), ['bad_request']);
    await refused(c.writeFile('x\u0000.txt', 'x'), ['bad_request']);
    await refused(c.call('exec.run', { command: ['pwd'], cwd: '..' }));
    await refused(c.call('pty.open', { cwd: t.outside }));
  });

  it('refuses reads, lists and stats through symlinks that lead outside', async () => {
    const c = t.client;
    await refused(c.readFile('etc-link/passwd'));
    await refused(c.readFile('secret-link'));
    await refused(c.readFile('outside-dir/secret.txt'));
    await refused(c.call('fs.list', { path: 'etc-link' }));
    await refused(c.call('fs.list', { path: 'outside-dir' }));
    await refused(c.call('fs.stat', { path: 'secret-link' }));
    await refused(c.call('exec.run', { command: ['pwd'], cwd: 'outside-dir' }));
    // Listing the workspace shows the links, but as links, without following them.
    const listing = await c.call('fs.list', { recursive: true, gitignore: false });
    const link = listing.entries.find((e) => e.path === 'outside-dir');
    assert.equal(link?.type, 'symlink');
    assert.ok(!listing.entries.some((e) => e.path.startsWith('outside-dir/') || e.path.startsWith('etc-link/')));
  });

  it('refuses writes through symlinks, including to paths that do not exist yet', async () => {
    const c = t.client;
    await refused(c.writeFile('outside-dir/new.txt', 'x'));
    await refused(c.writeFile('outside-dir/deeper/new.txt', 'x', { createParents: true }));
    await refused(c.writeFile('secret-link', 'overwritten'));
    await refused(c.writeFile('dangling-link', 'x'));
    await refused(c.writeFile('etc-link/slipway-test', 'x'));
    await refused(c.call('fs.mkdir', { path: 'outside-dir/newdir' }));
    await refused(c.call('fs.mkdir', { path: 'etc-link/slipway-dir' }));
  });

  it('refuses rename and copy targets (and sources) outside', async () => {
    const c = t.client;
    await refused(c.call('fs.rename', { from: 'inside.txt', to: 'outside-dir/moved.txt' }));
    await refused(c.call('fs.rename', { from: 'inside.txt', to: '../outside/moved.txt' }));
    await refused(c.call('fs.rename', { from: 'outside-dir/secret.txt', to: 'stolen.txt' }));
    await refused(c.call('fs.copy', { from: 'inside.txt', to: 'outside-dir/copied.txt' }));
    await refused(c.call('fs.copy', { from: 'outside-dir/secret.txt', to: 'stolen.txt' }));
    await refused(c.call('fs.copy', { from: 'inside.txt', to: 'secret-link', overwrite: true }));
    await refused(c.call('fs.copy', { from: 'inside.txt', to: 'dangling-link' }));
    await assert.rejects(lstat(path.join(t.workspace, 'stolen.txt')));
  });

  it('deletes, moves and copies a symlink itself without touching its target', async () => {
    const c = t.client;
    await c.call('fs.copy', { from: 'secret-link', to: 'link-copy' });
    assert.equal(await readlink(path.join(t.workspace, 'link-copy')), path.join(t.outside, 'secret.txt'));
    await refused(c.readFile('link-copy'));
    await c.call('fs.rename', { from: 'secret-link', to: 'renamed-link' });
    assert.ok((await lstat(path.join(t.workspace, 'renamed-link'))).isSymbolicLink());
    await c.call('fs.delete', { path: 'renamed-link' });
    await c.call('fs.delete', { path: 'outside-dir', recursive: true });
    await c.call('fs.delete', { path: 'link-copy' });
    await assert.rejects(lstat(path.join(t.workspace, 'outside-dir')));
  });

  it('refuses to delete or move the workspace root', async () => {
    await refused(t.client.call('fs.delete', { path: '.', recursive: true }));
    await refused(t.client.call('fs.rename', { from: t.workspace, to: 'x' }));
    assert.ok((await readdir(t.workspace)).includes('inside.txt'));
  });

  it('follows symlinks that stay inside', async () => {
    await mkdir(path.join(t.workspace, 'real'));
    await symlink('real', path.join(t.workspace, 'alias'));
    await t.client.writeFile('alias/through.txt', 'through');
    assert.equal(await readFile(path.join(t.workspace, 'real/through.txt'), 'utf8'), 'through');
    assert.equal(await t.client.readText('alias/through.txt'), 'through');
    const ran = await t.client.call('exec.run', { command: ['pwd', '-P'], cwd: 'alias' });
    assert.equal(ran.stdout.trim(), path.join(t.workspace, 'real'));
  });
});
