import assert from 'node:assert/strict';
import { globMatcher } from './glob-pattern';
import { htmlToText } from './html-to-text';
import { nearestCandidates } from './implementations/nearest-candidates';
import { unifiedDiff } from './unified-diff';
import { workspacePath } from './workspace-path';

describe('tool text helpers', () => {
  it('matches globs like .gitignore and shells do', () => {
    const cases: [string, string, boolean][] = [
      ['*.ts', 'src/app.ts', true], ['*.ts', 'app.tsx', false], ['src/*.ts', 'src/a/b.ts', false], ['src/**/*.ts', 'src/a/b.ts', true],
      ['src/**/*.ts', 'src/b.ts', true], ['*.{js,ts}', 'x/y.js', true], ['file?.txt', 'file1.txt', true], ['[ab].md', 'c.md', false],
      ['[!ab].md', 'docs/c.md', true], ['[!ab].md', 'a.md', false], ['*.env', '.env', true], ['.env*', 'app/.env.local', true],
    ];
    for (const [glob, path, expected] of cases) assert.equal(globMatcher(glob)(path), expected, `${glob} ~ ${path}`);
  });

  it('turns HTML into readable text', () => {
    const html = '<html><head><title>T</title><style>p{}</style></head><body><h1>Docs</h1><script>alert(1)</script><p>Use <a href="/x">this link</a> &amp; that&nbsp;one.</p><ul><li>one</li><li>two</li></ul></body></html>';
    assert.equal(htmlToText(html), '# Docs\n\nUse this link (/x) & that one.\n\n- one\n- two');
  });

  it('writes unified diffs and normalises workspace paths', () => {
    assert.equal(unifiedDiff('a.txt', 'one\ntwo\n', 'one\n2\n').diff, '--- a/a.txt\n+++ b/a.txt\n@@ -1,2 +1,2 @@\n one\n-two\n+2\n');
    assert.equal(workspacePath('/workspace/src/a.ts'), 'src/a.ts');
    assert.equal(workspacePath('./src/'), 'src');
    assert.throws(() => workspacePath('/etc/passwd'), /outside the workspace/);
  });

  it('shows the nearest candidates for a failed search', () => {
    const text = 'alpha\nfunction total(items) {\n  return items.length;\n}\nomega\n';
    assert.match(nearestCandidates(text, 'function totals(items) {\n  return items.length;'), /lines 2-3 \(similarity \d+%\)\n2\tfunction total/);
    assert.match(nearestCandidates(text, 'function total(items) {\n    return items.length;'), /whitespace is ignored/);
    assert.match(nearestCandidates(text, 'zzzzqqqq'), /Nothing in the file resembles it/);
  });
});
