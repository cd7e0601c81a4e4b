import type { Sql, Tx } from '../db/database';
import { notify } from '../db/notify';

export const CREDENTIAL_CHANNEL = 'slipway_credentials';

/** A credential sockets may have opened with: an API token, or a sign-in session (refresh family). */
export interface RevokedCredential {
  kind: 'token' | 'session';
  id: string;
}

/**
 * A credential was revoked (token revoked, signed out, a refresh token replayed). Every server
 * process closes the WebSockets opened with it. Sent inside the revoking transaction, so it is
 * delivered when (and only if) the revocation commits.
 */
export async function notifyCredentialRevoked(db: Sql | Tx, credential: RevokedCredential): Promise<void> {
  await notify(db, CREDENTIAL_CHANNEL, credential);
}

export function parseCredentialRevoked(payload: string): RevokedCredential | undefined {
  try {
    const value = JSON.parse(payload) as { kind?: unknown; id?: unknown };
    return (value.kind === 'token' || value.kind === 'session') && typeof value.id === 'string' ? { kind: value.kind, id: value.id } : undefined;
  } catch {
    return undefined;
  }
}
