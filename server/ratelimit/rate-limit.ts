import type { Sql } from '../db/database';
import { AppError } from '../errors';
import { countHit, sweepOldWindows } from './rate-limit-store';

export interface RateLimit {
  limit: number;
  windowSeconds: number;
}

/**
 * Fixed-window counter in PostgreSQL, so every server process sharing the database counts
 * together. One upsert per guarded request; old windows are swept now and then.
 */
export async function enforceRateLimit(sql: Sql, bucket: string, subject: string, rule: RateLimit): Promise<void> {
  const row = await countHit(sql, bucket, subject, rule.windowSeconds);
  if (Math.random() < 0.01) await sweepOldWindows(sql);
  if (row && row.count > rule.limit) {
    const retryAfter = Math.max(1, row.retryAfter);
    throw new AppError('rate_limited', `too many requests; try again in ${retryAfter} s`, { retryAfter });
  }
}
