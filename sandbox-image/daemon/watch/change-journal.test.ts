import assert from 'node:assert/strict';
import type { JournalEntry } from './change-journal';
import { ChangeJournal } from './change-journal';

const tick = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('ChangeJournal', () => {
  it('coalesces a batch, numbers entries, and forgets old ones', async () => {
    const journal = new ChangeJournal({ batchMs: 5, maxBatchChanges: 3, keepEntries: 2 });
    const published: JournalEntry[] = [];
    journal.subscribe((entry) => published.push(entry));
    journal.add({ path: 'a', kind: 'create', directory: false });
    journal.add({ path: 'a', kind: 'modify', directory: false });
    journal.add({ path: 'b', kind: 'modify', directory: false });
    await tick(20);
    assert.deepEqual(published, [{ cursor: 1, changes: [{ path: 'a', kind: 'create', directory: false }, { path: 'b', kind: 'modify', directory: false }] }]);
    for (const p of ['c', 'd', 'e', 'f']) journal.add({ path: p, kind: 'create', directory: false });
    await tick(20);
    assert.deepEqual(published[1], { cursor: 2, resync: 'more than 3 changes at once' });
    journal.add({ path: 'g', kind: 'delete', directory: true });
    await tick(20);
    assert.equal(journal.cursor, 3);
    assert.deepEqual(journal.since(2)?.map((e) => e.cursor), [3]);
    assert.deepEqual(journal.since(1)?.map((e) => e.cursor), [2, 3]);
    assert.equal(journal.since(0), undefined, 'entry 1 was dropped, so cursor 0 cannot resume');
    assert.equal(journal.since(4), undefined);
    assert.deepEqual(journal.since(3), []);
    journal.close();
  });
});
