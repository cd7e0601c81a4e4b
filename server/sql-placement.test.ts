import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';

/**
 * SQL belongs to the store of its domain (`*-store.ts`) or to `db/`: handlers, the agent and the
 * reconciler call stores. Files that still hold queries of their own would be listed below; the
 * list is empty and only shrinks (a file that no longer needs its entry fails the test until it goes).
 */
const NOT_YET_MOVED: string[] = [];

const repo = resolve(__dirname, '..');
const isTest = (file: string) => /\.(test|suite|e2e)\.ts$|\/testing\//.test(file);
const isStore = (file: string) => /(^|\/)db\/|-store\.ts$/.test(file);
/** A tagged-template query (`sql\`…\``, `tx<Row[]>\`…\``) or raw SQL (`.unsafe(`). */
const QUERY = /\b(?:sql|tx|db)\s*(?:<[^`]*?>)?\s*`|\.unsafe\(/;

function serverFiles(dir = join(repo, 'server')): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return name === 'templates' ? [] : serverFiles(path);
    return name.endsWith('.ts') ? [relative(repo, path)] : [];
  });
}

describe('SQL placement', () => {
  const withSql = serverFiles().filter((f) => !isTest(f) && !isStore(f) && QUERY.test(readFileSync(join(repo, f), 'utf8')));

  it('recognises queries (the check can fail)', () => {
    for (const query of ['await sql`SELECT 1`', 'tx<{ id: string; n: number }[]>`SELECT id FROM t`', 'db<Row[]>`\n SELECT`', 'sql.unsafe(text)']) assert.ok(QUERY.test(query), query);
    assert.ok(!QUERY.test('const sqlText = `x`'), 'a plain template is not a query');
  });

  it('keeps SQL in stores and db/', () => {
    assert.deepEqual(withSql.filter((f) => !NOT_YET_MOVED.includes(f)), []);
  });

  it('lists only files that still need it', () => {
    assert.deepEqual(NOT_YET_MOVED.filter((f) => !withSql.includes(f)), []);
  });
});
