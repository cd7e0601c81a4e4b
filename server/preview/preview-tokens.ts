import { SignJWT, jwtVerify } from 'jose';

export const PREVIEW_COOKIE = 'slipway_preview';
export const PREVIEW_QUERY = 'slipway_preview_token';
const AUDIENCE = 'slipway-preview';

/**
 * Preview credentials are JWTs naming the user and the project: a short-lived one in the URL that
 * opens the preview, traded on first load for a longer one in an HttpOnly cookie of that origin.
 * Membership is checked on every request anyway, so leaving a team ends access at once.
 */
export async function signPreviewToken(key: Uint8Array, claims: { userId: string; projectId: string; launchId?: string }, seconds: number): Promise<string> {
  return new SignJWT({ typ: 'preview', project: claims.projectId, ...(claims.launchId ? { launch: claims.launchId } : {}) })
    .setProtectedHeader({ alg: 'HS256' }).setSubject(claims.userId).setAudience(AUDIENCE)
    .setIssuedAt().setExpirationTime(`${seconds}s`).sign(key);
}

export async function verifyPreviewToken(key: Uint8Array, token: string): Promise<{ userId: string; projectId: string; launchId?: string } | undefined> {
  try {
    const { payload } = await jwtVerify(token, key, { audience: AUDIENCE, algorithms: ['HS256'] });
    if (payload.typ !== 'preview' || typeof payload.sub !== 'string' || typeof payload.project !== 'string') return undefined;
    return { userId: payload.sub, projectId: payload.project, ...(typeof payload.launch === 'string' ? { launchId: payload.launch } : {}) };
  } catch {
    return undefined;
  }
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
