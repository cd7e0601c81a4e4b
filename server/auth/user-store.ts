import type { User } from '../../protocol/rest/auth';
import type { Sql, Tx } from '../db/database';
import { conflict } from '../errors';
import { createTeam } from '../teams/team-store';
import { hashToken, newToken } from './opaque-token';

/** Users and their one-time sign-in tokens. */
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
export async function createUser(db: Sql | Tx, input: { email: string; name?: string | undefined; passwordHash: string | null; isAdmin?: boolean }): Promise<{ user: UserRow; teamId: string }> {
  const name = input.name ?? input.email.split('@')[0] ?? 'user';
  const [user] = await db<UserRow[]>`
    INSERT INTO users (email, name, password_hash, is_admin)
    VALUES (${input.email}, ${name}, ${input.passwordHash}, ${input.isAdmin ?? false})
    ON CONFLICT DO NOTHING RETURNING *`;
  if (!user) throw conflict('an account with this email already exists');
  const team = await createTeam(db, `${name}'s team`, user.id);
  return { user, teamId: team.id };
}

export async function findUserByEmail(db: Sql | Tx, email: string): Promise<UserRow | undefined> {
  const [row] = await db<UserRow[]>`SELECT * FROM users WHERE lower(email) = lower(${email})`;
  return row;
}

export async function userById(db: Sql | Tx, id: string): Promise<UserRow | undefined> {
  const [row] = await db<UserRow[]>`SELECT * FROM users WHERE id = ${id}`;
  return row;
}

/** A one-time token that `POST /api/auth/redeem` trades for a session (24 hours). */
export async function issueSignInToken(db: Sql | Tx, userId: string): Promise<string> {
  const { token, hash } = newToken('sit');
  await db`INSERT INTO sign_in_tokens (user_id, token_hash, expires_at) VALUES (${userId}, ${hash}, now() + interval '24 hours')`;
  return token;
}

/** Uses up a sign-in token; its user, or undefined when it is invalid, used or expired. */
export async function redeemSignInToken(db: Sql | Tx, token: string): Promise<UserRow | undefined> {
  const [user] = await db<UserRow[]>`
    UPDATE sign_in_tokens s SET used_at = now() FROM users u
    WHERE s.token_hash = ${hashToken(token)} AND s.used_at IS NULL AND s.expires_at > now() AND u.id = s.user_id
    RETURNING u.*`;
  return user;
}

/** First run, under a lock so that several processes starting at once agree: whether anyone exists yet. */
export async function lockForBootstrap(tx: Tx): Promise<{ anyUser: boolean }> {
  await tx`SELECT pg_advisory_xact_lock(hashtext('slipway.bootstrap'))`;
  const [row] = await tx`SELECT 1 FROM users LIMIT 1`;
  return { anyUser: row !== undefined };
}

/** The account with this email, if it has never been used (no password, no session, no API token). */
export async function unusedAccount(db: Sql | Tx, email: string): Promise<{ id: string } | undefined> {
  const [row] = await db<{ id: string }[]>`
    SELECT u.id FROM users u WHERE lower(u.email) = ${email} AND u.password_hash IS NULL
      AND NOT EXISTS (SELECT 1 FROM refresh_tokens r WHERE r.user_id = u.id)
      AND NOT EXISTS (SELECT 1 FROM api_tokens a WHERE a.user_id = u.id)`;
  return row;
}
