import type { Sql, Tx } from './database';

/**
 * Sends a notice on a PostgreSQL channel to every server process sharing the database. Inside a
 * transaction it goes out at commit, so listeners never see a change that was rolled back.
 */
export async function notify(db: Sql | Tx, channel: string, payload: unknown): Promise<void> {
  await db`SELECT pg_notify(${channel}, ${JSON.stringify(payload)})`;
}
