import type { Sql } from '../db/database';

/** Counts one hit in the subject's current window; the count so far and the seconds the window has left. */
export async function countHit(sql: Sql, bucket: string, subject: string, windowSeconds: number): Promise<{ count: number; retryAfter: number } | undefined> {
  const [row] = await sql<{ count: number; retryAfter: number }[]>`
    WITH w AS (SELECT to_timestamp(floor(extract(epoch FROM now()) / ${windowSeconds}) * ${windowSeconds}) AS start)
    INSERT INTO rate_limits (bucket, subject, window_start, count)
    SELECT ${bucket}, ${subject}, w.start, 1 FROM w
    ON CONFLICT (bucket, subject, window_start) DO UPDATE SET count = rate_limits.count + 1
    RETURNING count, ceil(extract(epoch FROM window_start + make_interval(secs => ${windowSeconds}) - now()))::int AS retry_after`;
  return row;
}

export async function sweepOldWindows(sql: Sql): Promise<void> {
  await sql`DELETE FROM rate_limits WHERE window_start < now() - interval '1 day'`;
}
