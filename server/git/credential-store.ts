import type { GitCredentials } from '../../protocol/daemon/git';
import type { SecretBox } from '../crypto/secret-box';
import type { Sql } from '../db/database';
import { fingerprintOfPublicKey, generateSshKey } from './ssh-key';

/** Associated data: a sealed token only opens for its own user and host. */
const tokenContext = (userId: string, host: string) => `git-token:${userId}:${host}`;
const keyContext = (userId: string) => `git-ssh-key:${userId}`;

interface TokenRow {
  host: string;
  username: string;
  token: Buffer;
  updatedAt: Date;
}
interface KeyRow {
  publicKey: string;
  privateKey: Buffer;
  createdAt: Date;
}

const info = (r: Pick<TokenRow, 'host' | 'username' | 'updatedAt'>) => ({ host: r.host, username: r.username, updatedAt: r.updatedAt.toISOString() });
const publicInfo = (r: Pick<KeyRow, 'publicKey' | 'createdAt'>) => ({ publicKey: r.publicKey, fingerprint: fingerprintOfPublicKey(r.publicKey), createdAt: r.createdAt.toISOString() });

/** One user's Git credentials: tokens per host and an SSH key, sealed at rest, never returned once set. */
export class GitCredentialStore {
  constructor(
    private readonly sql: Sql,
    private readonly secrets: SecretBox,
  ) {}

  async listTokens(userId: string) {
    const rows = await this.sql<TokenRow[]>`SELECT host, username, updated_at FROM git_tokens WHERE user_id = ${userId} ORDER BY host`;
    return rows.map(info);
  }

  async putToken(userId: string, host: string, username: string, token: string) {
    const sealed = this.secrets.seal(token, tokenContext(userId, host));
    const [row] = await this.sql<TokenRow[]>`
      INSERT INTO git_tokens (user_id, host, username, token) VALUES (${userId}, ${host}, ${username}, ${sealed})
      ON CONFLICT (user_id, host) DO UPDATE SET username = excluded.username, token = excluded.token, updated_at = now()
      RETURNING host, username, updated_at`;
    return info(row!);
  }

  async deleteToken(userId: string, host: string): Promise<boolean> {
    const rows = await this.sql`DELETE FROM git_tokens WHERE user_id = ${userId} AND host = ${host} RETURNING host`;
    return rows.length > 0;
  }

  /** The public half of the user's SSH key, made on first use (or anew when `rotate`). */
  async sshKey(userId: string, email: string, rotate = false) {
    if (!rotate) {
      const [row] = await this.sql<KeyRow[]>`SELECT public_key, created_at FROM git_ssh_keys WHERE user_id = ${userId}`;
      if (row) return publicInfo(row);
    }
    const key = generateSshKey(`${email} (Slipway)`);
    const sealed = this.secrets.seal(key.privateKey, keyContext(userId));
    // Two first requests at once: the first key stays (unless rotating on purpose).
    const [row] = await this.sql<KeyRow[]>`
      INSERT INTO git_ssh_keys (user_id, public_key, private_key) VALUES (${userId}, ${key.publicKey}, ${sealed})
      ON CONFLICT (user_id) DO UPDATE SET
        public_key = ${rotate ? this.sql`excluded.public_key` : this.sql`git_ssh_keys.public_key`},
        private_key = ${rotate ? this.sql`excluded.private_key` : this.sql`git_ssh_keys.private_key`},
        created_at = ${rotate ? this.sql`now()` : this.sql`git_ssh_keys.created_at`}
      RETURNING public_key, created_at`;
    return publicInfo(row!);
  }

  /** What one user's git commands may authenticate with: opened only to hand to one daemon call. */
  async credentialsFor(userId: string): Promise<GitCredentials> {
    const tokens = await this.sql<TokenRow[]>`SELECT host, username, token FROM git_tokens WHERE user_id = ${userId} ORDER BY host LIMIT 20`;
    const [key] = await this.sql<KeyRow[]>`SELECT private_key FROM git_ssh_keys WHERE user_id = ${userId}`;
    return {
      https: tokens.map((t) => ({ host: t.host, username: t.username, password: this.secrets.open(t.token, tokenContext(userId, t.host)) })),
      ...(key && { sshKey: this.secrets.open(key.privateKey, keyContext(userId)) }),
    };
  }
}
