import { createHash, timingSafeEqual } from 'node:crypto';

const digest = (value: string): Buffer => createHash('sha256').update(value).digest();

/**
 * Checks `Authorization: Bearer <token>` in constant time: both sides are hashed first, so
 * timingSafeEqual always compares equal lengths and the token's length does not leak either.
 */
export function bearerChecker(token: string): (header: string | undefined) => boolean {
  if (!token) throw new Error('a daemon token is required');
  const expected = digest(token);
  return (header) => {
    const match = /^Bearer ([^\s]+)$/.exec(header ?? '');
    const ok = timingSafeEqual(expected, digest(match?.[1] ?? ''));
    return ok && match !== null;
  };
}
