import type { User } from '../../protocol/rest/auth';
import type { Sql, Tx } from '../db/database';
import { conflict } from '../errors';

export interface UserRow {
  id: string;
  email: string;
  name: string;
  passwordHash: string | null;
  isAdmin: boolean;
  createdAt: Date;
}

export const toUser = (row: UserRow): User => ({
  id: row.id,
  email: row.email,
  name: row.name,
  isAdmin: row.isAdmin,
  createdAt: row.createdAt.toISOString(),
});

/** Creates a user and their personal team (they own it). */
export async function createUser(db: Sql | Tx, input: { email: string; name?: string; passwordHash: string | null; isAdmin?: boolean }): Promise<{ user: UserRow; teamId: string }> {
  const name = input.name ?? input.email.split('@')[0] ?? 'user';
  const [user] = await db<UserRow[]>`
    INSERT INTO users (email, name, password_hash, is_admin)
    VALUES (${input.email}, ${name}, ${input.passwordHash}, ${input.isAdmin ?? false})
    ON CONFLICT DO NOTHING RETURNING *`;
  if (!user) throw conflict('an account with this email already exists');
  const [team] = await db<{ id: string }[]>`INSERT INTO teams (name) VALUES (${`${name}'s team`}) RETURNING id`;
  await db`INSERT INTO memberships (team_id, user_id, role) VALUES (${team!.id}, ${user.id}, 'owner')`;
  return { user, teamId: team!.id };
}

export async function findUserByEmail(sql: Sql, email: string): Promise<UserRow | undefined> {
  const [row] = await sql<UserRow[]>`SELECT * FROM users WHERE lower(email) = lower(${email})`;
  return row;
}
