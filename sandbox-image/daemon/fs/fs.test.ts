import assert from 'node:assert/strict';
import { readdir, readFile, stat, symlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { TestDaemon } from '../testing/test-daemon';
import { startTestDaemon } from '../testing/test-daemon';
import { DaemonClientError } from '../../../server/daemon-client/daemon-client-error';

async function rejectsWith(promise: Promise<unknown>, code: string, reason?: string): Promise<void> {
  await assert.rejects(promise, (error: unknown) => error instanceof DaemonClientError && error.code === code && (reason === undefined || error.reason === reason));
}

describe('daemon fs', () => {
  let t: TestDaemon;
  beforeEach(async () => {
    t = await startTestDaemon();
  });
  afterEach(async () => t.stop());

  it('writes, reads back, and stats a file', async () => {
    const entry = await t.client.writeFile('hello.txt', 'hello world');
    assert.deepEqual([entry.path, entry.name, entry.type, entry.size, entry.mode], ['hello.txt', 'hello.txt', 'file', 11, 0o644]);
    assert.equal(await readFile(path.join(t.workspace, 'hello.txt'), 'utf8'), 'hello world');
    assert.equal(await t.client.readText('hello.txt'), 'hello world');
    const info = await t.client.call('fs.stat', { path: 'hello.txt' });
    assert.equal(info.size, 11);
    assert.equal(info.isSymlink, false);
    const root = await t.client.call('fs.stat', { path: '.' });
    assert.equal(root.type, 'directory');
    assert.equal(root.path, '.');
  });

  it('reads byte ranges', async () => {
    await t.client.writeFile('digits.txt', '0123456789');
    assert.equal((await t.client.readFile('digits.txt', { offset: 2, length: 3 })).toString(), '234');
    assert.equal((await t.client.readFile('digits.txt', { offset: 7 })).toString(), '789');
    assert.equal((await t.client.readFile('digits.txt', { offset: 8, length: 100 })).toString(), '89');
    assert.equal((await t.client.readFile('digits.txt', { offset: 50, length: 2 })).length, 0);
  });

  it('round-trips binary bytes exactly', async () => {
    const bytes = Buffer.from(Array.from({ length: 256 }, (_, i) => i));
    await t.client.writeFile('bin.dat', bytes);
    assert.ok((await t.client.readFile('bin.dat')).equals(bytes));
  });

  it('creates parents only when asked, and keeps an existing mode', async () => {
    await rejectsWith(t.client.writeFile('deep/er/file.txt', 'x'), 'not_found');
    await t.client.writeFile('deep/er/file.txt', 'x', { createParents: true });
    assert.equal(await readFile(path.join(t.workspace, 'deep/er/file.txt'), 'utf8'), 'x');
    await t.client.writeFile('script.sh', '#!/bin/sh\n', { mode: '755' });
    await t.client.writeFile('script.sh', '#!/bin/sh\necho hi\n');
    assert.equal((await stat(path.join(t.workspace, 'script.sh'))).mode & 0o777, 0o755);
  });

  it('writes atomically: readers never see a partial file, and no temp files stay behind', async () => {
    const big = Buffer.alloc(4 * 1024 * 1024, 'a');
    const other = Buffer.alloc(4 * 1024 * 1024, 'b');
    await t.client.writeFile('big.txt', big);
    let reads = 0;
    let writing = true;
    const reader = (async () => {
      while (writing) {
        const seen = await readFile(path.join(t.workspace, 'big.txt'));
        assert.equal(seen.length, big.length, 'a reader saw a truncated file');
        assert.ok(seen.equals(big) || seen.equals(other), 'a reader saw mixed contents');
        reads++;
      }
    })();
    for (let i = 0; i < 6; i++) await t.client.writeFile('big.txt', i % 2 ? big : other);
    writing = false;
    await reader;
    assert.ok(reads > 0);
    assert.deepEqual(await readdir(t.workspace), ['big.txt']);
  });

  it('refuses to write over a directory', async () => {
    await t.client.call('fs.mkdir', { path: 'dir' });
    await rejectsWith(t.client.writeFile('dir', 'x'), 'bad_request', 'is_a_directory');
  });

  it('lists directories, recursively, respecting .gitignore and limits', async () => {
    await writeFile(path.join(t.workspace, '.gitignore'), 'dist/\n*.log\n');
    for (const file of ['src/a.ts', 'src/lib/b.ts', 'src/lib/.gitignore', 'src/lib/gen.ts', 'dist/out.js', 'debug.log', '.git/HEAD']) {
      await t.client.writeFile(file, file === 'src/lib/.gitignore' ? 'gen.ts\n' : 'x', { createParents: true });
    }
    const top = await t.client.call('fs.list', { path: '.' });
    assert.deepEqual(top.entries.map((e) => e.name), ['.git', '.gitignore', 'debug.log', 'dist', 'src']);
    const all = await t.client.call('fs.list', { path: '.', recursive: true });
    assert.deepEqual(all.entries.map((e) => e.path).sort(), ['.gitignore', 'src', 'src/a.ts', 'src/lib', 'src/lib/.gitignore', 'src/lib/b.ts']);
    assert.equal(all.truncated, false);
    const everything = await t.client.call('fs.list', { recursive: true, gitignore: false });
    assert.ok(everything.entries.some((e) => e.path === 'dist/out.js'));
    assert.ok(everything.entries.some((e) => e.path === '.git/HEAD'));
    const limited = await t.client.call('fs.list', { recursive: true, limit: 2 });
    assert.equal(limited.entries.length, 2);
    assert.equal(limited.truncated, true);
    const shallow = await t.client.call('fs.list', { path: 'src', recursive: true, maxDepth: 1 });
    assert.deepEqual(shallow.entries.map((e) => e.path), ['src/a.ts', 'src/lib']);
    await rejectsWith(t.client.call('fs.list', { path: 'src/a.ts' }), 'bad_request', 'not_a_directory');
    await rejectsWith(t.client.call('fs.list', { path: 'nope' }), 'not_found');
  });

  it('lists an inside symlink as its target type, and does not descend into it', async () => {
    await t.client.writeFile('real/file.txt', 'x', { createParents: true });
    await symlink('real', path.join(t.workspace, 'alias'));
    const listing = await t.client.call('fs.list', { recursive: true });
    const alias = listing.entries.find((e) => e.path === 'alias');
    assert.equal(alias?.type, 'directory');
    assert.equal(alias?.isSymlink, true);
    assert.ok(!listing.entries.some((e) => e.path.startsWith('alias/')));
  });

  it('mkdir, rename, copy and delete', async () => {
    const dir = await t.client.call('fs.mkdir', { path: 'a/b/c' });
    assert.equal(dir.type, 'directory');
    await rejectsWith(t.client.call('fs.mkdir', { path: 'a/b/c', recursive: false }), 'conflict', 'already_exists');
    await t.client.writeFile('a/b/c/f.txt', 'content');

    const moved = await t.client.call('fs.rename', { from: 'a/b/c/f.txt', to: 'a/g.txt' });
    assert.equal(moved.path, 'a/g.txt');
    await rejectsWith(t.client.call('fs.stat', { path: 'a/b/c/f.txt' }), 'not_found', 'not_found');
    await t.client.writeFile('other.txt', 'other');
    await rejectsWith(t.client.call('fs.rename', { from: 'other.txt', to: 'a/g.txt' }), 'conflict', 'already_exists');
    await t.client.call('fs.rename', { from: 'other.txt', to: 'a/g.txt', overwrite: true });
    assert.equal(await t.client.readText('a/g.txt'), 'other');

    const copied = await t.client.call('fs.copy', { from: 'a', to: 'a2' });
    assert.equal(copied.type, 'directory');
    assert.equal(await t.client.readText('a2/g.txt'), 'other');
    await rejectsWith(t.client.call('fs.copy', { from: 'a', to: 'a2' }), 'conflict', 'already_exists');
    await rejectsWith(t.client.call('fs.copy', { from: 'a', to: 'a3', recursive: false }), 'bad_request', 'is_a_directory');
    await t.client.call('fs.copy', { from: 'a/g.txt', to: 'a2/g.txt', overwrite: true });

    await rejectsWith(t.client.call('fs.delete', { path: 'a' }), 'conflict', 'not_empty');
    await t.client.call('fs.delete', { path: 'a', recursive: true });
    await t.client.call('fs.delete', { path: 'a2/g.txt' });
    await t.client.call('fs.delete', { path: 'a2/b/c' });
    await rejectsWith(t.client.call('fs.delete', { path: 'a' }), 'not_found');
    assert.deepEqual((await readdir(t.workspace)).sort(), ['a2']);
  });

  it('handles unicode, spaces and odd names', async () => {
    const names = ['ünï cödé.txt', 'with space/and more.md', '日本語/ファイル.ts', "quote'\"#?&%.txt", '-dash.txt'];
    for (const name of names) {
      await t.client.writeFile(name, name, { createParents: true });
      assert.equal(await t.client.readText(name), name);
      assert.equal((await t.client.call('fs.stat', { path: name })).path, name);
    }
    const listing = await t.client.call('fs.list', { recursive: true });
    for (const name of names) assert.ok(listing.entries.some((e) => e.path === name), name);
    await t.client.call('fs.rename', { from: names[0] ?? '', to: 'ascii.txt' });
    assert.equal(await t.client.readText('ascii.txt'), names[0]);
  });

  it('accepts absolute paths inside the workspace', async () => {
    await t.client.writeFile(path.join(t.workspace, 'abs.txt'), 'abs');
    assert.equal((await t.client.call('fs.stat', { path: path.join(t.workspace, 'abs.txt') })).path, 'abs.txt');
  });
});
