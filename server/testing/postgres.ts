import { randomBytes } from 'node:crypto';
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import postgres from 'postgres';
import { connect, type Sql } from '../db/database';
import { startEmbeddedPostgres, type EmbeddedDatabase } from '../db/embedded-postgres';
import { migrate } from '../db/migrate';
import { silentLogger } from '../log';
import { freePort } from '../net/free-port';

/**
 * Tests run against a real PostgreSQL: one embedded cluster per test process, started on first
 * use, with a migrated template database; every suite gets its own copy, so suites never share rows.
 */
let cluster: Promise<{ db: EmbeddedDatabase; dir: string; base: string }> | undefined;

async function startCluster() {
  const dir = mkdtempSync(join(tmpdir(), 'slipway-test-pg-'));
  chmodSync(dir, 0o755);
  const db = await startEmbeddedPostgres({ dataDir: dir, port: await freePort(), log: silentLogger(), database: 'template_slipway' });
  const sql = connect(db.url, { max: 1 });
  await migrate(sql, silentLogger());
  await sql.end();
  return { db, dir, base: db.url.slice(0, db.url.lastIndexOf('/')) };
}

export interface TestDatabase {
  url: string;
  sql: Sql;
  drop(): Promise<void>;
}

/** A fresh, migrated database of its own. */
export async function testDatabase(): Promise<TestDatabase> {
  cluster ??= startCluster();
  const { base } = await cluster;
  const name = `t_${randomBytes(6).toString('hex')}`;
  const admin = postgres(`${base}/postgres`, { max: 1, onnotice: () => {} });
  await admin.unsafe(`CREATE DATABASE ${name} TEMPLATE template_slipway`);
  await admin.end();
  const url = `${base}/${name}`;
  const sql = connect(url, { max: 5 });
  // Clones of the template share its installation id; each database is an installation of its own.
  await sql`UPDATE installation SET id = gen_random_uuid()`;
  return {
    url,
    sql,
    async drop() {
      await sql.end({ timeout: 5 });
      const a = postgres(`${base}/postgres`, { max: 1, onnotice: () => {} });
      await a.unsafe(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await a.end();
    },
  };
}

/** A cluster URL without a database, for tests that create their own (migrations from empty). */
export async function clusterUrl(): Promise<string> {
  cluster ??= startCluster();
  return (await cluster).base;
}

export async function stopTestCluster(): Promise<void> {
  if (!cluster) return;
  const { db, dir } = await cluster;
  cluster = undefined;
  await db.stop();
  rmSync(dir, { recursive: true, force: true });
}
