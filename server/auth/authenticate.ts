import type { Context } from 'koa';
import type { Sql } from '../db/database';
import { unauthorized } from '../errors';
import type { RevokedCredential } from '../events/credential-events';
import { verifyAccessToken } from './access-token';
import { tokenKind } from './opaque-token';
import { sessionActive, userInSession } from './session-store';
import { apiTokenActive, userByApiToken } from './token-store';

export interface AuthUser {
  id: string;
  email: string;
  isAdmin: boolean;
}

/** What a request or socket authenticated with: an API token or a sign-in session, and until when. */
export interface Credential extends RevokedCredential {
  expiresAt: Date | null;
}

type Deps = { sql: Sql; jwtKey: Uint8Array };

/**
 * Resolves a bearer credential (access JWT or API token) to its user and credential, or undefined.
 * `alongside` is called with the user id an access token names once its signature holds, so a
 * caller can start a read that needs only that id while the session is checked.
 */
export async function resolveBearer(deps: Deps, token: string, alongside?: (claimedUserId: string) => void): Promise<{ user: AuthUser; credential: Credential } | undefined> {
  if (tokenKind(token) === 'pat') {
    const found = await userByApiToken(deps.sql, token);
    if (!found) return undefined;
    const { tokenId, expiresAt, ...user } = found;
    return { user, credential: { kind: 'token', id: tokenId, expiresAt } };
  }
  const claims = await verifyAccessToken(deps.jwtKey, token);
  if (!claims) return undefined;
  alongside?.(claims.userId);
  // Checked on every use: signing out (or a replayed refresh token) ends the session's access tokens too.
  const user = await userInSession(deps.sql, claims.userId, claims.sessionId);
  return user && { user, credential: { kind: 'session', id: claims.sessionId, expiresAt: claims.expiresAt } };
}

/** Whether a credential still holds (for long-lived uses: open sockets). */
export async function credentialActive(sql: Sql, credential: Credential): Promise<boolean> {
  if (credential.expiresAt && credential.expiresAt.getTime() <= Date.now()) return false;
  return credential.kind === 'token' ? apiTokenActive(sql, credential.id) : sessionActive(sql, credential.id);
}

export function bearerFrom(header: string | undefined): string | undefined {
  const match = /^Bearer\s+(\S{10,2000})$/i.exec(header ?? '');
  return match?.[1];
}

/** For routes that need a user: 401 with a clear message otherwise (`alongside`: see `resolveBearer`). */
export async function authenticateRequest(ctx: Context, deps: Deps, alongside?: (claimedUserId: string) => void): Promise<AuthUser> {
  const token = bearerFrom(ctx.get('authorization'));
  if (!token) throw unauthorized('send an access token or API token as "Authorization: Bearer <token>"');
  const resolved = await resolveBearer(deps, token, alongside);
  if (!resolved) throw unauthorized('the token is invalid, expired or revoked');
  ctx.state.user = resolved.user;
  ctx.state.credential = resolved.credential;
  return resolved.user;
}

/** The credential an authenticated request came with (for what outlives the request: preview cookies). */
export function requestCredential(ctx: Context): Credential {
  const credential = ctx.state.credential as Credential | undefined;
  if (!credential) throw unauthorized('send an access token or API token as "Authorization: Bearer <token>"');
  return credential;
}
