import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import type { WsCredentialsCloseReason } from '../../protocol/ws';
import { silentLogger } from '../log';
import { testDatabase, type TestDatabase } from '../testing/postgres';
import { waitFor } from '../testing/wait-for';
import { CredentialWatch, type BoundSocket } from './credential-watch';
import { insertApiToken } from './token-store';
import { createUser } from './user-store';

describe('credential watch: the periodic re-check', () => {
  let db: TestDatabase;
  let watch: CredentialWatch;
  before(async () => {
    db = await testDatabase();
    // Not started: no notifications are heard, so only the periodic re-check can end a socket.
    watch = new CredentialWatch({ sql: db.sql, log: silentLogger() }, { recheckMs: 100 });
  });
  after(async () => {
    await watch?.stop();
    await db?.drop();
  });

  const socket = (userId: string, tokenId: string) => {
    const ended: WsCredentialsCloseReason[] = [];
    const bound: BoundSocket = { userId, credential: { kind: 'token', id: tokenId, expiresAt: null }, endCredentials: (r) => ended.push(r), accessChanged: () => {} };
    return { bound, ended };
  };

  it('ends every socket of a token revoked without a notice, and only those', async () => {
    const { user } = await createUser(db.sql, { email: 'watch@example.com', passwordHash: null });
    const token = async (name: string) => {
      const secret = `slp_pat_${randomBytes(16).toString('hex')}`;
      return (await insertApiToken(db.sql, { userId: user.id, name, token: secret, hash: createHash('sha256').update(secret).digest(), expiresInDays: undefined })).id;
    };
    const [revoked, kept] = [await token('a'), await token('b')];
    const sockets = [socket(user.id, revoked), socket(user.id, revoked), socket(user.id, kept)];
    const removers = sockets.map((s) => watch.add(s.bound));
    await db.sql`UPDATE api_tokens SET revoked_at = now() WHERE id = ${revoked}`; // no NOTIFY: a missed notice
    await waitFor(async () => sockets[0]!.ended.length > 0 && sockets[1]!.ended.length > 0, { what: 'both sockets of the revoked token to end', timeoutMs: 5000 });
    assert.deepEqual(sockets[0]!.ended.slice(0, 1), ['credentials_revoked']);
    assert.deepEqual(sockets[2]!.ended, [], 'a socket of another token was ended');
    for (const remove of removers) remove();
  });
});
