import assert from 'node:assert/strict';
import { appendTail, CLEAR_SCREEN, continuation, longestOverlap } from './scrollback-merge';

describe('scrollback merge', () => {
  it('writes only what was missed when the scrollback continues what was shown', () => {
    const shown = '$ echo one\r\none\r\n$ ';
    assert.deepEqual(continuation(shown, shown + 'echo two\r\ntwo\r\n$ '), { write: 'echo two\r\ntwo\r\n$ ', cleared: false });
    // A bounded scrollback that starts in the middle of what was shown.
    assert.deepEqual(continuation('a'.repeat(500) + 'tail-marker', 'a'.repeat(100) + 'tail-marker' + 'NEW'), { write: 'NEW', cleared: false });
  });

  it('writes nothing when nothing was missed', () => {
    assert.deepEqual(continuation('hello\r\n$ ', 'hello\r\n$ '), { write: '', cleared: false });
    assert.deepEqual(continuation('', ''), { write: '', cleared: false });
  });

  it('replays the whole scrollback on a first attach', () => {
    assert.deepEqual(continuation('', 'welcome\r\n$ '), { write: 'welcome\r\n$ ', cleared: false });
  });

  it('clears and replays when more was missed than the scrollback keeps', () => {
    const result = continuation('old output that scrolled away\r\n', 'completely new screen');
    assert.deepEqual(result, { write: CLEAR_SCREEN + 'completely new screen', cleared: true });
  });

  it('finds the longest overlap, also with repetitive output', () => {
    assert.equal(longestOverlap('x' + 'ab'.repeat(40), 'ab'.repeat(40) + 'Q'), 80);
    // Overlaps shorter than the anchor (64 chars) are not trusted: the caller clears and replays.
    assert.equal(longestOverlap('y'.repeat(100) + 'abab', 'ababQ'), 0);
    assert.equal(longestOverlap('ab', 'abab'), 2);
    assert.equal(longestOverlap('abc', 'xyz'), 0);
    const long = 'line\r\n'.repeat(5000);
    assert.equal(longestOverlap(long, long + 'next'), long.length);
  });

  it('keeps a bounded tail', () => {
    assert.equal(appendTail('abc', 'def', 4), 'cdef');
    assert.equal(appendTail('', 'xy', 4), 'xy');
  });
});
