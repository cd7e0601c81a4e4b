import { createHmac } from 'node:crypto';

/**
 * Each sandbox's daemon token is an HMAC of its id under a key derived from the server key: every
 * server process can compute it, nothing needs storing, and a token opens only its own sandbox.
 */
export const sandboxToken = (key: Uint8Array, sandboxId: string): string =>
  createHmac('sha256', key).update(`sandbox:${sandboxId}`).digest('base64url');
