import assert from 'node:assert/strict';
import type { Change } from '../../protocol/daemon/watch';
import type { FeedSink } from './watch-feed';
import { ProjectWatches } from './project-watches';

describe('project watches', () => {
  const setup = () => {
    const sinks = new Map<string, FeedSink>();
    const log: string[] = [];
    const watches = new ProjectWatches(
      (projectId, sink) => {
        sinks.set(projectId, sink);
        log.push(`start ${projectId}`);
        return { dispose: () => log.push(`stop ${projectId}`) };
      },
      (projectId, changes) => log.push(`${projectId}: ${changes.map((c) => c.path).join(',')}`),
      (projectId) => log.push(`resync ${projectId}`),
    );
    const send = (projectId: string, ...paths: string[]) => sinks.get(projectId)!.changes(paths.map((path): Change => ({ path, kind: 'modify', directory: false })));
    return { watches, log, send };
  };

  it('runs one feed per project while anything in it is watched', () => {
    const { watches, log } = setup();
    const a = watches.add({ projectId: 'p', path: '.', recursive: true });
    const b = watches.add({ projectId: 'p', path: 'src/a.ts', recursive: false });
    assert.deepEqual(log, ['start p']);
    a();
    a();
    b();
    assert.deepEqual(log, ['start p', 'stop p']);
  });

  it('passes on only changes under a watched path', () => {
    const { watches, log, send } = setup();
    watches.add({ projectId: 'p', path: 'src', recursive: true });
    watches.add({ projectId: 'p', path: 'docs', recursive: false });
    send('p', 'src/deep/x.ts', 'docs/a.md', 'docs/deep/b.md', 'other.txt');
    assert.deepEqual(log.slice(1), ['p: src/deep/x.ts,docs/a.md']);
  });

  it('starts every feed over, with a resync, when the socket changes', () => {
    const { watches, log } = setup();
    watches.add({ projectId: 'p', path: '.', recursive: true });
    watches.restart();
    assert.deepEqual(log, ['start p', 'stop p', 'start p', 'resync p']);
  });
});
