import assert from 'node:assert/strict';
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Change } from '../../../protocol/daemon/watch';
import type { DaemonEventData } from '../../../protocol/daemon/stream';
import type { DaemonStream } from '../../../server/daemon-client/daemon-stream';
import type { TestDaemon } from '../testing/test-daemon';
import { eventually, startTestDaemon } from '../testing/test-daemon';

function batches(stream: DaemonStream): DaemonEventData<'watch.batch'>[] {
  const seen: DaemonEventData<'watch.batch'>[] = [];
  stream.on('watch.batch', (batch) => seen.push(batch));
  return seen;
}

const changes = (seen: DaemonEventData<'watch.batch'>[]): Change[] => seen.flatMap((b) => b.changes);
const has = (seen: DaemonEventData<'watch.batch'>[], path: string, kind: Change['kind']): boolean =>
  changes(seen).some((c) => c.path === path && c.kind === kind);

describe('daemon watch', () => {
  let t: TestDaemon;
  beforeEach(async () => {
    t = await startTestDaemon();
    await mkdir(path.join(t.workspace, 'src/deep'), { recursive: true });
    await mkdir(path.join(t.workspace, '.git/objects'), { recursive: true });
  });
  afterEach(async () => t.stop());

  it('reports creates, modifies and deletes in batches with increasing cursors', async () => {
    const stream = await t.client.connect();
    try {
      const seen = batches(stream);
      const start = await stream.call('watch.subscribe', {});
      assert.equal(start.resync, false);
      await writeFile(path.join(t.workspace, 'src/deep/a.ts'), 'a');
      await writeFile(path.join(t.workspace, 'top.txt'), 'x');
      await eventually(() => has(seen, 'src/deep/a.ts', 'create') && has(seen, 'top.txt', 'create'), 5000, 'creates');
      await writeFile(path.join(t.workspace, 'top.txt'), 'xy');
      await eventually(() => seen.slice(1).length > 0 && has(seen.slice(-1), 'top.txt', 'modify'), 5000, 'modify');
      await rm(path.join(t.workspace, 'top.txt'));
      await eventually(() => has(seen, 'top.txt', 'delete'), 5000, 'delete');
      const cursors = seen.map((b) => b.cursor);
      assert.deepEqual(cursors, [...cursors].sort((a, b) => a - b));
      assert.equal(new Set(cursors).size, cursors.length);
      assert.ok(cursors[0]! > start.cursor);
      // Several quick writes to one file coalesce within a batch.
      const before = seen.length;
      for (let i = 0; i < 20; i++) await writeFile(path.join(t.workspace, 'burst.txt'), String(i));
      await eventually(() => has(seen.slice(before), 'burst.txt', 'create'), 5000, 'burst');
      await new Promise((resolve) => setTimeout(resolve, 150));
      assert.ok(changes(seen.slice(before)).filter((c) => c.path === 'burst.txt').length < 20);
    } finally {
      stream.close();
    }
  });

  it('watches new directories, including what appears in them right away', async () => {
    const stream = await t.client.connect();
    try {
      const seen = batches(stream);
      await stream.call('watch.subscribe', {});
      await mkdir(path.join(t.workspace, 'new/inner/most'), { recursive: true });
      await writeFile(path.join(t.workspace, 'new/inner/most/file.txt'), 'x');
      await eventually(() => has(seen, 'new/inner/most/file.txt', 'create'), 5000, 'file in a new directory');
      assert.ok(changes(seen).some((c) => c.path === 'new' && c.directory));
      await writeFile(path.join(t.workspace, 'new/inner/later.txt'), 'y');
      await eventually(() => has(seen, 'new/inner/later.txt', 'create'), 5000, 'later file');
      await rename(path.join(t.workspace, 'new'), path.join(t.workspace, 'renamed'));
      await eventually(() => has(seen, 'new', 'delete') && has(seen, 'renamed', 'create'), 5000, 'rename');
      await writeFile(path.join(t.workspace, 'renamed/inner/again.txt'), 'z');
      await eventually(() => has(seen, 'renamed/inner/again.txt', 'create'), 5000, 'file in renamed directory');
    } finally {
      stream.close();
    }
  });

  it('leaves out .git internals and atomic-write temp files', async () => {
    const stream = await t.client.connect();
    try {
      const seen = batches(stream);
      await stream.call('watch.subscribe', {});
      await writeFile(path.join(t.workspace, '.git/objects/abc'), 'x');
      await writeFile(path.join(t.workspace, '.git/index'), 'x');
      await t.client.writeFile('src/written.ts', 'export {}');
      await eventually(() => has(seen, 'src/written.ts', 'create'), 5000, 'daemon write');
      await new Promise((resolve) => setTimeout(resolve, 150));
      const paths = changes(seen).map((c) => c.path);
      assert.ok(!paths.some((p) => p.startsWith('.git/')), `saw ${paths.join(', ')}`);
      assert.ok(!paths.some((p) => p.includes('.slipway-')), `saw ${paths.join(', ')}`);
    } finally {
      stream.close();
    }
  });

  it('resumes from a cursor after reconnecting, or asks for a resync', async () => {
    const first = await t.client.connect();
    const seen = batches(first);
    const start = await first.call('watch.subscribe', {});
    await writeFile(path.join(t.workspace, 'one.txt'), '1');
    await eventually(() => has(seen, 'one.txt', 'create'), 5000, 'first change');
    const last = seen.at(-1)!.cursor;
    first.close();
    // Changes while disconnected.
    await writeFile(path.join(t.workspace, 'two.txt'), '2');
    await new Promise((resolve) => setTimeout(resolve, 120));
    await writeFile(path.join(t.workspace, 'src/three.txt'), '3');
    await new Promise((resolve) => setTimeout(resolve, 120));

    const second = await t.client.connect();
    try {
      const replayed = batches(second);
      const resumed = await second.call('watch.subscribe', { epoch: start.epoch, cursor: last });
      assert.equal(resumed.resync, false);
      assert.equal(resumed.epoch, start.epoch);
      await eventually(() => has(replayed, 'two.txt', 'create') && has(replayed, 'src/three.txt', 'create'), 5000, 'replay');
      assert.ok(!has(replayed, 'one.txt', 'create'), 'replayed a batch from before the cursor');
      assert.ok(replayed.every((b) => b.cursor > last && b.cursor <= resumed.cursor));
      await writeFile(path.join(t.workspace, 'four.txt'), '4');
      await eventually(() => has(replayed, 'four.txt', 'create'), 5000, 'live after replay');

      const otherEpoch = await second.call('watch.subscribe', { epoch: 'an-old-daemon', cursor: last });
      assert.equal(otherEpoch.resync, true);
      const future = await second.call('watch.subscribe', { epoch: start.epoch, cursor: resumed.cursor + 1000 });
      assert.equal(future.resync, true);
    } finally {
      second.close();
    }
  });
});
