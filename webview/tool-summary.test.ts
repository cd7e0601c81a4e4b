import assert from 'node:assert/strict';
import { formatDuration, outputTail, toolSummary } from './tool-summary';

describe('tool summaries', () => {
  it('say what each tool did in words', () => {
    assert.equal(toolSummary('read_file', JSON.stringify({ path: 'src/app.ts', offset: 1, limit: 40 }), 'x'), 'Read src/app.ts lines 1–40');
    assert.equal(toolSummary('read_file', JSON.stringify({ path: 'README.md' }), null), 'Read README.md');
    assert.equal(toolSummary('run_command', JSON.stringify({ command: 'npm test' }), 'FAIL\nExit code 1.'), 'Ran `npm test` → exit 1');
    assert.equal(toolSummary('run_command', JSON.stringify({ command: 'npm run dev', background: true }), 'port 5173 is listening'), 'Started `npm run dev`');
    assert.equal(toolSummary('write_file', JSON.stringify({ path: 'a.txt', content: 'one\ntwo\n' }), 'ok'), 'Wrote a.txt (2 lines)');
    assert.equal(toolSummary('edit_file', JSON.stringify({ path: 'a.ts', edits: [{}, {}] }), 'ok'), 'Edited a.ts (2 changes)');
    assert.equal(toolSummary('grep', JSON.stringify({ pattern: 'TODO', path: 'src' }), ''), 'Searched for "TODO" in src');
    assert.equal(toolSummary('shell', JSON.stringify({ command: 'ls' }), 'Killed by SIGTERM.'), 'Ran `ls` → killed by SIGTERM');
    assert.equal(toolSummary('brand_new', JSON.stringify({ path: 'x/y' }), null), 'brand_new x/y');
    assert.equal(toolSummary('read_file', 'not json', null), 'Read ');
  });

  it('formats durations and keeps the tail of long outputs', () => {
    assert.equal(formatDuration(12), '12 ms');
    assert.equal(formatDuration(3200), '3.2 s');
    assert.equal(formatDuration(125_000), '2 min 5 s');
    const long = Array.from({ length: 100 }, (_, i) => `line ${i + 1}`).join('\n');
    assert.deepEqual(outputTail(long, 3), { tail: 'line 98\nline 99\nline 100', hidden: 97 });
    assert.deepEqual(outputTail('a\nb', 3), { tail: 'a\nb', hidden: 0 });
  });

  it('says a call refused in plan mode did not run', () => {
    assert.equal(toolSummary('write_file', JSON.stringify({ path: 'a.txt', content: 'x\n' }), 'write_file is not available in plan mode (it is a write tool): …'), 'Not run in plan mode: Wrote a.txt (1 line)');
    assert.equal(toolSummary('write_file', JSON.stringify({ path: 'a.txt', content: 'x\n' }), 'Wrote a.txt'), 'Wrote a.txt (1 line)');
  });
});
