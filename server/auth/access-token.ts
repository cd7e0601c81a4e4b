import { SignJWT, jwtVerify } from 'jose';

const ISSUER = 'slipway';
const AUDIENCE = 'slipway-api';

/** What a valid access token says: whose it is, the sign-in (refresh family) it belongs to, and until when. */
export interface AccessClaims {
  userId: string;
  sessionId: string;
  expiresAt: Date;
}

/** Short-lived JWT (HS256) naming the user and the session; signing out of that session ends it. */
export async function signAccessToken(key: Uint8Array, userId: string, sessionId: string, seconds: number): Promise<string> {
  return new SignJWT({ typ: 'access', sid: sessionId })
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject(userId)
    .setIssuer(ISSUER)
    .setAudience(AUDIENCE)
    .setIssuedAt()
    .setExpirationTime(`${seconds}s`)
    .sign(key);
}

/** The claims, or undefined for anything invalid, expired, not ours, or without a session. */
export async function verifyAccessToken(key: Uint8Array, token: string): Promise<AccessClaims | undefined> {
  try {
    const { payload } = await jwtVerify(token, key, { issuer: ISSUER, audience: AUDIENCE, algorithms: ['HS256'] });
    if (payload.typ !== 'access' || typeof payload.sub !== 'string' || typeof payload.sid !== 'string' || typeof payload.exp !== 'number') return undefined;
    return { userId: payload.sub, sessionId: payload.sid, expiresAt: new Date(payload.exp * 1000) };
  } catch {
    return undefined;
  }
}
