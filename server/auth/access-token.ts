import { SignJWT, jwtVerify } from 'jose';

const ISSUER = 'slipway';
const AUDIENCE = 'slipway-api';

/** Short-lived JWT (HS256) naming the user. */
export async function signAccessToken(key: Uint8Array, userId: string, seconds: number): Promise<string> {
  return new SignJWT({ typ: 'access' })
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject(userId)
    .setIssuer(ISSUER)
    .setAudience(AUDIENCE)
    .setIssuedAt()
    .setExpirationTime(`${seconds}s`)
    .sign(key);
}

/** The user id, or undefined for anything invalid, expired or not ours. */
export async function verifyAccessToken(key: Uint8Array, token: string): Promise<string | undefined> {
  try {
    const { payload } = await jwtVerify(token, key, { issuer: ISSUER, audience: AUDIENCE, algorithms: ['HS256'] });
    return payload.typ === 'access' && typeof payload.sub === 'string' ? payload.sub : undefined;
  } catch {
    return undefined;
  }
}
