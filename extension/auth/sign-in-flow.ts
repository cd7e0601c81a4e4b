import { z } from 'zod';
import type { RestClient } from '../../protocol/client/rest-client';
import { ClientError } from '../../protocol/client/client-error';

/** What the extension keeps in SecretStorage for one signed-in account. */
export const StoredSession = z.object({
  serverUrl: z.string(),
  /** A personal API token (`slp_pat_…`). */
  token: z.string(),
  /** The token's id, to revoke it on sign-out; null if it could not be found. */
  tokenId: z.string().nullable(),
  user: z.object({ id: z.string(), email: z.string(), name: z.string() }),
});
export type StoredSession = z.infer<typeof StoredSession>;

export type TokenKind = 'pat' | 'sit' | 'unknown';

/** `slp_pat_…` or `slp_sit_…` (pasted tokens are trimmed, surrounding quotes dropped). */
export function classifyToken(raw: string): { kind: TokenKind; token: string } {
  const token = raw.trim().replace(/^["'`]|["'`]$/g, '').trim();
  const match = /^slp_(pat|sit)_[A-Za-z0-9_-]{43}$/.exec(token);
  return { kind: (match?.[1] as 'pat' | 'sit' | undefined) ?? 'unknown', token };
}

/**
 * Turns a pasted token into a stored session: a one-time sign-in token is redeemed for a session,
 * which then creates a personal API token for this VS Code (the session's short-lived tokens are not
 * kept); a personal API token is checked and kept as it is.
 */
export async function signInWithToken(call: RestClient, serverUrl: string, raw: string, tokenName: string): Promise<StoredSession> {
  const { kind, token } = classifyToken(raw);
  if (kind === 'unknown') {
    throw new ClientError('request', 'That is not a Slipway token: paste a personal API token (slp_pat_…) or a one-time sign-in token (slp_sit_…).', 'bad_request');
  }
  if (kind === 'sit') {
    const session = await call('auth.redeem', { body: { token } });
    const created = await call('tokens.create', { body: { name: tokenName } }, { token: session.accessToken });
    await call('auth.signOut', { body: { refreshToken: session.refreshToken } }).catch(() => undefined);
    const { user } = session;
    return { serverUrl, token: created.token, tokenId: created.info.id, user: { id: user.id, email: user.email, name: user.name } };
  }
  const me = await call('me.get', {}, { token });
  const { items } = await call('tokens.list', {}, { token });
  // Only the token's first characters are listed; revoke on sign-out only when that is unambiguous.
  const matches = items.filter((info) => token.startsWith(info.prefix));
  const mine = matches.length === 1 ? matches[0] : undefined;
  const { user } = me;
  return { serverUrl, token, tokenId: mine?.id ?? null, user: { id: user.id, email: user.email, name: user.name } };
}

/** Revokes the stored API token on the server; a token that no longer works is already as good as revoked. */
export async function revokeSession(call: RestClient, session: StoredSession): Promise<void> {
  if (!session.tokenId) return;
  try {
    await call('tokens.revoke', { params: { tokenId: session.tokenId } }, { token: session.token });
  } catch (error) {
    if (!ClientError.is(error, 'unauthorized') && !ClientError.is(error, 'not_found')) throw error;
  }
}
