import assert from 'node:assert/strict';
import type { Change } from '../../protocol/daemon/watch';
import { FakeSocket, tick } from '../connection/fake-socket.testing';
import { WatchFeed } from './watch-feed';

const P = '0f8fad5b-d9cb-469f-a165-70867728950e';
const change = (path: string): Change => ({ path, kind: 'create', directory: false });

describe('watch feed', () => {
  const setup = (answers: { epoch: string; cursor: number; resync: boolean }[]) => {
    const socket = new FakeSocket();
    socket.handlers['workspace.watch'] = () => answers.shift();
    const seen: string[] = [];
    const feed = new WatchFeed(socket, P, { changes: (c) => seen.push(...c.map((x) => x.path)), resync: () => seen.push('RESYNC') });
    return { socket, seen, feed };
  };

  it('subscribes, delivers its project\'s batches once, and ignores other projects', async () => {
    const { socket, seen, feed } = setup([{ epoch: 'e1', cursor: 4, resync: false }]);
    await tick();
    assert.deepEqual(socket.methods('workspace.watch'), [{ projectId: P }]);
    socket.emit('workspace.changes', { projectId: P, cursor: 5, changes: [change('a')] });
    socket.emit('workspace.changes', { projectId: P, cursor: 5, changes: [change('a')] });
    socket.emit('workspace.changes', { projectId: '11111111-1111-4111-8111-111111111111', cursor: 6, changes: [change('other')] });
    assert.deepEqual(seen, ['a']);
    assert.deepEqual(feed.position, { epoch: 'e1', cursor: 5 });
  });

  it('resumes from the last epoch and cursor after a reconnection, without repeating a replay', async () => {
    const { socket, seen } = setup([{ epoch: 'e1', cursor: 4, resync: false }, { epoch: 'e1', cursor: 7, resync: false }]);
    await tick();
    socket.emit('workspace.changes', { projectId: P, cursor: 5, changes: [change('a')] });
    socket.blip();
    // The server replays what came after cursor 5, and may repeat what was already seen.
    socket.emit('workspace.changes', { projectId: P, cursor: 5, changes: [change('a')] });
    socket.emit('workspace.changes', { projectId: P, cursor: 6, changes: [change('b')] });
    await tick();
    assert.deepEqual(socket.methods('workspace.watch')[1], { projectId: P, epoch: 'e1', cursor: 5 });
    assert.deepEqual(seen, ['a', 'b']);
  });

  it('asks for a full re-read when the server could not replay (or the daemon restarted)', async () => {
    const { socket, seen, feed } = setup([{ epoch: 'e1', cursor: 4, resync: false }, { epoch: 'e2', cursor: 1, resync: true }]);
    await tick();
    socket.blip();
    await tick();
    assert.deepEqual(seen, ['RESYNC']);
    assert.deepEqual(feed.position, { epoch: 'e2', cursor: 1 });
    socket.emit('workspace.changes', { projectId: P, cursor: 2, changes: [change('after')] });
    socket.emit('workspace.resync', { projectId: P, cursor: 9, reason: 'overflow' });
    assert.deepEqual(seen, ['RESYNC', 'after', 'RESYNC']);
  });

  it('subscribes again when the project is running again, and unwatches on dispose', async () => {
    const { socket, feed } = setup([{ epoch: 'e1', cursor: 1, resync: false }, { epoch: 'e1', cursor: 1, resync: false }]);
    await tick();
    const project = (status: string) => ({ project: { id: P, status } as never });
    socket.emit('project.updated', project('STOPPING'));
    socket.emit('project.updated', project('RUNNING'));
    await tick();
    assert.equal(socket.methods('workspace.watch').length, 2);
    feed.dispose();
    assert.deepEqual(socket.methods('workspace.unwatch'), [{ projectId: P }]);
    assert.equal(socket.listenerCount, 0);
  });
});
