import { createHash, randomBytes } from 'node:crypto';

/** Kinds of bearer secrets the server hands out; the prefix tells them apart (and helps secret scanners). */
export type TokenKind = 'pat' | 'rt' | 'sit' | 'inv';

/** A new random token: `slp_<kind>_<32 random bytes, base64url>`. Only its hash is ever stored. */
export function newToken(kind: TokenKind): { token: string; hash: Buffer } {
  const token = `slp_${kind}_${randomBytes(32).toString('base64url')}`;
  return { token, hash: hashToken(token) };
}

/** Tokens carry 256 bits of entropy, so a fast hash is enough to make a database leak useless. */
export const hashToken = (token: string): Buffer => createHash('sha256').update(token).digest();

export const tokenKind = (token: string): TokenKind | undefined => {
  const match = /^slp_(pat|rt|sit|inv)_[A-Za-z0-9_-]{43}$/.exec(token);
  return match?.[1] as TokenKind | undefined;
};
