import type { Sql } from '../db/database';
import { AppError } from '../errors';

export interface RateLimit {
  limit: number;
  windowSeconds: number;
}

/**
 * Fixed-window counter in PostgreSQL, so every server process sharing the database counts
 * together. One upsert per guarded request; old windows are swept now and then.
 */
export async function enforceRateLimit(sql: Sql, bucket: string, subject: string, rule: RateLimit): Promise<void> {
  const [row] = await sql<{ count: number; retryAfter: number }[]>`
    WITH w AS (SELECT to_timestamp(floor(extract(epoch FROM now()) / ${rule.windowSeconds}) * ${rule.windowSeconds}) AS start)
    INSERT INTO rate_limits (bucket, subject, window_start, count)
    SELECT ${bucket}, ${subject}, w.start, 1 FROM w
    ON CONFLICT (bucket, subject, window_start) DO UPDATE SET count = rate_limits.count + 1
    RETURNING count, ceil(extract(epoch FROM window_start + make_interval(secs => ${rule.windowSeconds}) - now()))::int AS retry_after`;
  if (Math.random() < 0.01) await sql`DELETE FROM rate_limits WHERE window_start < now() - interval '1 day'`;
  if (row && row.count > rule.limit) {
    const retryAfter = Math.max(1, row.retryAfter);
    throw new AppError('rate_limited', `too many requests; try again in ${retryAfter} s`, { retryAfter });
  }
}
