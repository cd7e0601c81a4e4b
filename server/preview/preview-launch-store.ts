import type { Sql } from '../db/database';

/** A preview link handed to VS Code, and whether the browser has traded its token for the cookie. */
export async function createLaunch(sql: Sql, input: { userId: string; projectId: string; seconds: number }): Promise<string> {
  await sql`DELETE FROM preview_launches WHERE expires_at < now() - interval '1 hour'`;
  const [row] = await sql<{ id: string }[]>`
    INSERT INTO preview_launches (user_id, project_id, expires_at)
    VALUES (${input.userId}, ${input.projectId}, now() + make_interval(secs => ${input.seconds}))
    RETURNING id`;
  return row!.id;
}

/** The browser traded the link's token for the cookie: true the first time only (a link works once). */
export async function redeemLaunch(sql: Sql, launchId: string): Promise<boolean> {
  const rows = await sql`UPDATE preview_launches SET redeemed_at = now() WHERE id = ${launchId} AND redeemed_at IS NULL RETURNING id`;
  return rows.length === 1;
}

/** The launch of this user (undefined for anyone else's, or an unknown id). */
export async function launchOf(sql: Sql, launchId: string, userId: string): Promise<{ redeemed: boolean } | undefined> {
  const [row] = await sql<{ redeemedAt: Date | null }[]>`SELECT redeemed_at FROM preview_launches WHERE id = ${launchId} AND user_id = ${userId}`;
  return row && { redeemed: row.redeemedAt !== null };
}
