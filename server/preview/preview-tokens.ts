import { SignJWT, jwtVerify } from 'jose';
import type { Credential } from '../auth/authenticate';

export const PREVIEW_COOKIE = 'slipway_preview';
export const PREVIEW_QUERY = 'slipway_preview_token';
const AUDIENCE = 'slipway-preview';

export interface PreviewClaims {
  userId: string;
  projectId: string;
  /** The API token or sign-in session the preview was opened with: it ends with it. */
  credential: Credential;
  launchId?: string;
}

/**
 * Preview credentials are JWTs naming the user, the project and the credential that asked for
 * them: a short-lived one in the URL that opens the preview, traded on first load for a longer one
 * in an HttpOnly cookie of that origin. Membership and the credential are checked on every request
 * anyway, so leaving a team, signing out or revoking the token ends access at once.
 */
export async function signPreviewToken(key: Uint8Array, claims: PreviewClaims, seconds: number): Promise<string> {
  const { credential } = claims;
  // Never outlives its credential (an API token with an expiry).
  const until = Math.min(Date.now() + seconds * 1000, credential.expiresAt?.getTime() ?? Infinity);
  return new SignJWT({
    typ: 'preview', project: claims.projectId, ck: credential.kind, ci: credential.id,
    ...(credential.expiresAt ? { ce: credential.expiresAt.getTime() } : {}),
    ...(claims.launchId ? { launch: claims.launchId } : {}),
  })
    .setProtectedHeader({ alg: 'HS256' }).setSubject(claims.userId).setAudience(AUDIENCE)
    .setIssuedAt().setExpirationTime(Math.floor(until / 1000)).sign(key);
}

export async function verifyPreviewToken(key: Uint8Array, token: string): Promise<PreviewClaims | undefined> {
  try {
    const { payload: p } = await jwtVerify(token, key, { audience: AUDIENCE, algorithms: ['HS256'] });
    if (p.typ !== 'preview' || typeof p.sub !== 'string' || typeof p.project !== 'string') return undefined;
    // Tokens from before credentials were bound carry none: they are not honoured.
    if ((p.ck !== 'token' && p.ck !== 'session') || typeof p.ci !== 'string') return undefined;
    const credential: Credential = { kind: p.ck, id: p.ci, expiresAt: typeof p.ce === 'number' ? new Date(p.ce) : null };
    return { userId: p.sub, projectId: p.project, credential, ...(typeof p.launch === 'string' ? { launchId: p.launch } : {}) };
  } catch {
    return undefined;
  }
}

/**
 * What a preview is bound to: an API token (until it expires or is revoked), or the sign-in
 * session, not its short-lived access token (the session ends at sign-out or a replayed refresh).
 */
export function previewCredential(credential: Credential): Credential {
  return credential.kind === 'session' ? { ...credential, expiresAt: null } : credential;
}

export function cookieValue(header: string | undefined, name: string): string | undefined {
  for (const part of (header ?? '').split(';')) {
    const [key, ...rest] = part.trim().split('=');
    if (key === name) return rest.join('=');
  }
  return undefined;
}

/** The Cookie header without Slipway's own cookie: the app never sees Slipway credentials. */
export function withoutCookie(header: string | undefined, name: string): string | undefined {
  const kept = (header ?? '').split(';').map((p) => p.trim()).filter((p) => p && !p.startsWith(`${name}=`));
  return kept.length ? kept.join('; ') : undefined;
}
