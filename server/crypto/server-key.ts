import { hkdfSync, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The server's master key (32 bytes): from SLIPWAY_SECRET_KEY (base64), else generated once into
 * `<dataDir>/secret.key` (mode 0600). Every replica of one installation must share it.
 * Purpose keys are derived from it, so one secret covers JWTs and secrets at rest.
 */
export function loadMasterKey(options: { secretKey?: string; dataDir: string }): Buffer {
  if (options.secretKey) return decode(options.secretKey, 'SLIPWAY_SECRET_KEY');
  const file = join(options.dataDir, 'secret.key');
  if (existsSync(file)) return decode(readFileSync(file, 'utf8').trim(), file);
  mkdirSync(options.dataDir, { recursive: true, mode: 0o700 });
  const key = randomBytes(32);
  writeFileSync(file, `${key.toString('base64')}\n`, { mode: 0o600, flag: 'wx' });
  return key;
}

function decode(value: string, source: string): Buffer {
  const key = Buffer.from(value, 'base64');
  if (key.length !== 32) throw new Error(`${source} must be 32 bytes in base64 (try: openssl rand -base64 32)`);
  return key;
}

export type KeyPurpose = 'jwt' | 'secrets' | 'daemon-tokens';

export const deriveKey = (master: Buffer, purpose: KeyPurpose): Buffer =>
  Buffer.from(hkdfSync('sha256', master, Buffer.alloc(0), `slipway:${purpose}`, 32));
