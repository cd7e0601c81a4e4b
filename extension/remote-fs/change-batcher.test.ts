import assert from 'node:assert/strict';
import { tick } from '../connection/fake-socket.testing';
import { ChangeBatcher } from './change-batcher';

describe('change batcher', () => {
  type C = { kind: string; path: string };
  const make = (options?: { delayMs?: number; maxItems?: number }) => {
    const batches: C[][] = [];
    const batcher = new ChangeBatcher<C>((items) => batches.push(items), (c) => `${c.kind}:${c.path}`, options);
    return { batches, batcher };
  };

  it('hands over what arrives close together as one batch', async () => {
    const { batches, batcher } = make({ delayMs: 10 });
    batcher.add([{ kind: 'create', path: 'a' }]);
    batcher.add([{ kind: 'modify', path: 'a' }, { kind: 'create', path: 'b' }]);
    assert.equal(batches.length, 0);
    await tick(30);
    assert.deepEqual(batches, [[{ kind: 'create', path: 'a' }, { kind: 'modify', path: 'a' }, { kind: 'create', path: 'b' }]]);
  });

  it('drops repeats but keeps the order that matters', async () => {
    const { batches, batcher } = make({ delayMs: 5 });
    batcher.add([{ kind: 'create', path: 'a' }, { kind: 'delete', path: 'a' }, { kind: 'create', path: 'a' }, { kind: 'modify', path: 'x' }, { kind: 'modify', path: 'x' }]);
    await tick(20);
    assert.deepEqual(batches[0]!.map((c) => `${c.kind}:${c.path}`), ['delete:a', 'create:a', 'modify:x']);
  });

  it('flushes at once when a batch is full, and never after dispose', async () => {
    const { batches, batcher } = make({ delayMs: 1000, maxItems: 3 });
    batcher.add([1, 2, 3].map((n) => ({ kind: 'create', path: `f${n}` })));
    assert.equal(batches.length, 1);
    batcher.add([{ kind: 'create', path: 'late' }]);
    batcher.dispose();
    await tick(20);
    assert.equal(batches.length, 1);
  });
});
