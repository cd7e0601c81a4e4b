import { userById } from '../auth/user-store';
import type { Sql } from '../db/database';
import { notFound } from '../errors';

/** Who a user is in a commit: their name (or the start of their email) and email. */
export async function commitIdentity(sql: Sql, userId: string): Promise<{ name: string; email: string }> {
  const row = await userById(sql, userId);
  if (!row) throw notFound('user');
  return { name: row.name.trim() || row.email.split('@')[0] || 'user', email: row.email };
}
