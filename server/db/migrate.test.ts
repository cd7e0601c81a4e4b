import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import postgres from 'postgres';
import { silentLogger } from '../log';
import { clusterUrl } from '../testing/postgres';
import { connect, type Sql } from './database';
import { MIGRATIONS_DIR, migrate } from './migrate';

describe('migrations', () => {
  let sql: Sql;
  let url: string;
  let admin: postgres.Sql;
  const name = `m_${Date.now()}`;

  before(async () => {
    const base = await clusterUrl();
    admin = postgres(`${base}/postgres`, { max: 1, onnotice: () => {} });
    await admin.unsafe(`CREATE DATABASE ${name}`);
    url = `${base}/${name}`;
    sql = connect(url, { max: 2 });
  });
  after(async () => {
    await sql.end();
    await admin.unsafe(`DROP DATABASE ${name} WITH (FORCE)`);
    await admin.end();
  });

  it('builds the whole schema from an empty database, then applies nothing twice', async () => {
    const first = await migrate(sql, silentLogger());
    assert.ok(first.includes('001_foundation.sql'));
    const tables = (await sql<{ tablename: string }[]>`SELECT tablename FROM pg_tables WHERE schemaname = 'public'`).map((r) => r.tablename);
    for (const t of ['users', 'teams', 'memberships', 'refresh_tokens', 'api_tokens', 'projects', 'project_env', 'audit_log', 'schema_migrations']) {
      assert.ok(tables.includes(t), `missing table ${t}`);
    }
    assert.deepEqual(await migrate(sql, silentLogger()), []);
  });

  it('numbers each migration once, so that their order never rests on their names', () => {
    const numbers = readdirSync(MIGRATIONS_DIR).filter((f) => f.endsWith('.sql')).map((f) => f.split('_')[0]);
    assert.deepEqual(numbers, [...new Set(numbers)], `a migration number is used twice: ${numbers.join(' ')}`);
  });

  it('two processes migrating at once do not collide', async () => {
    const other = connect(url, { max: 1 });
    const results = await Promise.all([migrate(sql, silentLogger()), migrate(other, silentLogger())]);
    assert.deepEqual(results, [[], []]);
    await other.end();
  });

  it('stops on a failing migration with its name, and keeps earlier ones', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'slipway-migrations-'));
    writeFileSync(join(dir, '001_ok.sql'), 'CREATE TABLE fine_table (id int);');
    writeFileSync(join(dir, '002_broken.sql'), 'CREATE TABLE half_done (id int); SELECT no_such_function();');
    await assert.rejects(migrate(sql, silentLogger(), dir), /Migration 002_broken\.sql failed: .*no_such_function/);
    const [fine] = await sql`SELECT to_regclass('fine_table') AS t`;
    const [half] = await sql`SELECT to_regclass('half_done') AS t`;
    assert.equal(fine!.t, 'fine_table');
    assert.equal(half!.t, null, 'the failed migration was rolled back whole');
  });

  it('the shipped migrations directory is found', () => {
    assert.match(MIGRATIONS_DIR, /server\/db\/migrations$/);
  });
});
