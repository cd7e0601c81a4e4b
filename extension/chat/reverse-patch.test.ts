import assert from 'node:assert/strict';
import { unifiedDiff } from '../../server/agent/tools/unified-diff';
import { textBefore } from './reverse-patch';

describe('Text before an agent change', () => {
  it('rebuilds the old text from the new text and the diff', () => {
    const before = Array.from({ length: 40 }, (_, i) => `line ${i + 1}`).join('\n') + '\n';
    const after = before.replace('line 3\n', 'line three\n').replace('line 30\n', '').concat('appended\n');
    assert.equal(textBefore(after, unifiedDiff('f.txt', before, after).diff), before);
    assert.equal(textBefore('new\nfile\n', unifiedDiff('n.txt', null, 'new\nfile\n').diff), '');
  });

  it('gives up when the file changed since or the diff is cut', () => {
    const diff = unifiedDiff('f.txt', 'a\nb\nc\n', 'a\nB\nc\n').diff;
    assert.equal(textBefore('a\nX\nc\n', diff), undefined);
    assert.equal(textBefore('a\nB\nc\n', '--- a/f\n+++ b/f\n@@ large change: 1 lines -> 2 lines @@\n'), undefined);
  });
});
