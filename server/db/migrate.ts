import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { resourcePath } from '../resources';
import type { Logger } from '../log';
import type { Sql } from './database';

export const MIGRATIONS_DIR = resourcePath('server', 'db', 'migrations');

/**
 * Applies `NNN_name.sql` files in order, each in its own transaction, and records them.
 * A lock keeps two server processes from migrating at once. A failure stops start-up
 * with the file's name and PostgreSQL's message.
 */
export async function migrate(sql: Sql, log: Logger, dir = MIGRATIONS_DIR): Promise<string[]> {
  const files = (await readdir(dir)).filter((f) => /^\d{3,}_[\w-]+\.sql$/.test(f)).sort();
  const applied: string[] = [];
  const conn = await sql.reserve();
  try {
    await conn`SELECT pg_advisory_lock(hashtext('slipway.migrations'))`;
    await conn`CREATE TABLE IF NOT EXISTS schema_migrations (
      name text PRIMARY KEY, checksum text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())`;
    const done = new Map((await conn<{ name: string; checksum: string }[]>`SELECT name, checksum FROM schema_migrations`).map((r) => [r.name, r.checksum]));
    for (const file of files) {
      const text = await readFile(join(dir, file), 'utf8');
      const checksum = createHash('sha256').update(text).digest('hex');
      const seen = done.get(file);
      if (seen !== undefined) {
        if (seen !== checksum) log.warn({ file }, 'an applied migration was edited since; it is not applied again');
        continue;
      }
      try {
        await conn.unsafe('BEGIN');
        await conn.unsafe(text);
        await conn`INSERT INTO schema_migrations (name, checksum) VALUES (${file}, ${checksum})`;
        await conn.unsafe('COMMIT');
      } catch (error) {
        await conn.unsafe('ROLLBACK').catch(() => {});
        throw new Error(`Migration ${file} failed: ${(error as Error).message}`, { cause: error });
      }
      applied.push(file);
      log.info({ file }, 'migration applied');
    }
  } finally {
    await conn`SELECT pg_advisory_unlock(hashtext('slipway.migrations'))`.catch(() => {});
    conn.release();
  }
  return applied;
}
