import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { startTestDaemon, type TestDaemon } from '../../../sandbox-image/daemon/testing/test-daemon';
import { restoreWorkspace, snapshotWorkspace } from './shadow-repo';

const git = (cwd: string, ...args: string[]) => execFileSync('git', args, { cwd, encoding: 'utf8', env: { ...process.env, GIT_CONFIG_GLOBAL: '/dev/null', GIT_AUTHOR_NAME: 'U', GIT_AUTHOR_EMAIL: 'u@u', GIT_COMMITTER_NAME: 'U', GIT_COMMITTER_EMAIL: 'u@u' } });

/** Every file under a directory with its bytes, as one hash. */
async function treeHash(dir: string): Promise<string> {
  const hash = createHash('sha256');
  const walk = async (at: string): Promise<void> => {
    for (const entry of (await readdir(at, { withFileTypes: true })).sort((a, b) => a.name.localeCompare(b.name))) {
      const full = path.join(at, entry.name);
      hash.update(path.relative(dir, full));
      if (entry.isDirectory()) await walk(full);
      else if (entry.isFile()) hash.update(await readFile(full));
    }
  };
  await walk(dir);
  return hash.digest('hex');
}

describe('checkpoints beside the user\'s own repository', () => {
  let t: TestDaemon;
  beforeEach(async () => {
    t = await startTestDaemon();
  });
  afterEach(async () => t.stop());

  it('never touch the user\'s .git, and stay invisible to Source Control', async () => {
    git(t.workspace, 'init', '-q', '-b', 'main');
    await writeFile(path.join(t.workspace, 'a.txt'), 'one\n');
    git(t.workspace, 'add', '-A');
    git(t.workspace, 'commit', '-q', '-m', 'mine');
    const before = await treeHash(path.join(t.workspace, '.git'));

    const first = await snapshotWorkspace(t.client, 'checkpoint one');
    await writeFile(path.join(t.workspace, 'a.txt'), 'two\n');
    await writeFile(path.join(t.workspace, 'b.txt'), 'new\n');
    const second = await snapshotWorkspace(t.client, 'checkpoint two');
    assert.ok(second.created && !second.files.some((f) => f.startsWith('.git')), 'the user\'s .git is not snapshotted');
    await restoreWorkspace(t.client, first.commit);
    assert.equal(await readFile(path.join(t.workspace, 'a.txt'), 'utf8'), 'one\n');
    assert.equal(await treeHash(path.join(t.workspace, '.git')), before, '.git is byte-for-byte unchanged');

    const status = await t.client.call('git.status', {});
    assert.ok(status.repository);
    assert.equal(git(t.workspace, 'log', '--format=%s').trim(), 'mine');
    assert.ok(status.changes.every((c) => !c.path.includes('slipway-checkpoints')), 'the checkpoint repository is not in the workspace');
    assert.deepEqual(await readdir(t.workspace).then((names) => names.sort()), ['.git', 'a.txt']);
  });
});
