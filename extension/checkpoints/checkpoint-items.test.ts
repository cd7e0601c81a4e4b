import assert from 'node:assert/strict';
import type { Checkpoint } from '../../protocol/chat';
import { checkpointItems, checkpointSummary, checkpointTime, diffDocument, restoreChoices, restoreQuestion } from './checkpoint-items';

const CHAT = '11111111-1111-4111-8111-111111111111';
const OTHER = '22222222-2222-4222-8222-222222222222';
const local = (y: number, m: number, d: number, h: number, min: number) => new Date(y, m, d, h, min).toISOString();
const NOW = new Date(2026, 10, 22, 16, 0);

const cp = (over: Partial<Checkpoint> = {}): Checkpoint => ({
  id: '33333333-3333-4333-8333-333333333333', chatId: CHAT, commit: 'abcdef0123456', message: 'Add login page\n\nmore', files: ['src/a.ts'], seq: 12,
  createdAt: local(2026, 10, 22, 14, 5), ...over,
});

describe('Checkpoint items', () => {
  it('formats the time relative to today', () => {
    assert.equal(checkpointTime(local(2026, 10, 22, 9, 3), NOW), '09:03');
    assert.equal(checkpointTime(local(2026, 0, 5, 23, 59), NOW), 'Jan 5 23:59');
    assert.equal(checkpointTime(local(2025, 11, 31, 7, 0), NOW), 'Dec 31 2025 07:00');
  });

  it('summarizes with the first non-empty line, shortened', () => {
    assert.equal(checkpointSummary(cp({ message: '\n  Fix the build  \nbody' })), 'Fix the build');
    assert.equal(checkpointSummary(cp({ message: '' })), 'Checkpoint');
    const long = checkpointSummary(cp({ message: 'x'.repeat(200) }));
    assert.equal(long.length, 80);
    assert.ok(long.endsWith('…'));
  });

  it('lists the open chat\'s and the project\'s checkpoints, newest first', () => {
    const list = [
      cp({ id: 'a', createdAt: local(2026, 10, 22, 10, 0), message: 'first' }),
      cp({ id: 'b', createdAt: local(2026, 10, 22, 12, 0), chatId: OTHER, message: 'other chat' }),
      cp({ id: 'c', createdAt: local(2026, 10, 22, 13, 0), chatId: null, seq: null, message: 'manual', files: ['1', '2', '3', '4', '5', '6', '7'] }),
    ];
    const items = checkpointItems(list, CHAT, NOW);
    assert.deepEqual(items.map((i) => i.checkpoint.id), ['c', 'a']);
    assert.equal(items[0]!.label, '13:00  manual');
    assert.equal(items[0]!.description, '7 files · abcdef0');
    assert.equal(items[0]!.detail, '1, 2, 3, 4, 5, +2 more');
    assert.equal(items[1]!.description, '1 file · abcdef0');
    assert.deepEqual(checkpointItems(list, null, NOW).map((i) => i.checkpoint.id), ['c', 'b', 'a']);
  });

  it('offers the conversation only for a checkpoint of a chat', () => {
    assert.deepEqual(restoreChoices(cp()).map((c) => c.conversation), [false, true]);
    assert.deepEqual(restoreChoices(cp({ chatId: null, seq: null })).map((c) => c.conversation), [false]);
    assert.match(restoreQuestion(cp(), true, NOW), /^Restore the files and the conversation to the checkpoint of 14:05 \("Add login page"\)\?/);
    assert.match(restoreQuestion(cp(), false, NOW), /^Restore the files to/);
  });

  it('writes the diff document with a header', () => {
    const text = diffDocument(cp(), { diff: '--- a/x\n+++ b/x\n', files: ['x'], truncated: true }, NOW);
    assert.equal(text, '# Changes since checkpoint abcdef0 (14:05: Add login page)\n# 1 file changed (diff truncated)\n--- a/x\n+++ b/x\n');
    assert.match(diffDocument(cp(), { diff: '', files: [], truncated: false }, NOW), /No changes/);
  });
});
