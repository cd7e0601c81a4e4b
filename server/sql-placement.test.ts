import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';

/**
 * SQL belongs to the store of its domain (`*-store.ts`) or to `db/`: handlers, the agent and the
 * reconciler call stores. The files below still hold queries of their own; the list only shrinks
 * (a file that no longer needs its entry fails the test until the entry goes).
 */
const NOT_YET_MOVED = [
  'server/audit/audit-log.ts', // the audit trail's one INSERT (audit/ is its store)
  'server/bench/sandbox-bench.ts',
  'server/events/credential-events.ts', // NOTIFY of a domain's changes, inside the caller's transaction
  'server/events/membership-events.ts',
  'server/events/project-events.ts',
  'server/reconcile/observer.ts',
  'server/reconcile/project-lease.ts',
  'server/reconcile/reconcile-context.ts',
  'server/reconcile/reconciler.ts',
  'server/reconcile/sandbox-health.ts',
  'server/reconcile/warm-pool.ts',
  'server/teams/membership.ts',
  'server/ws/project-feed.ts',
];

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
