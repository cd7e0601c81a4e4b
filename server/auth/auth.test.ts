import assert from 'node:assert/strict';
import { SignJWT } from 'jose';
import { startTestServer, type TestServer } from '../testing/test-server';

describe('auth', () => {
  let s: TestServer;
  before(async () => { s = await startTestServer(); });
  after(async () => { await s.close(); });

  it('signs up, signs in, and refuses a wrong password without saying which part was wrong', async () => {
    const { email } = await s.signUp('ada');
    const ok = await s.call('POST', '/api/auth/signin', { body: { email: email.toUpperCase(), password: 'correct horse battery' } });
    assert.equal(ok.status, 200);
    assert.equal(ok.body.user.email, email);
    assert.equal(ok.body.user.passwordHash, undefined);
    const bad = await s.call('POST', '/api/auth/signin', { body: { email, password: 'wrong password!' } });
    const nobody = await s.call('POST', '/api/auth/signin', { body: { email: 'nobody@example.com', password: 'wrong password!' } });
    assert.equal(bad.status, 401);
    assert.deepEqual(bad.body, nobody.body);
  });

  it('refuses a duplicate email and a weak password', async () => {
    const { email } = await s.signUp('dup');
    const dup = await s.call('POST', '/api/auth/signup', { body: { email, password: 'another long password' } });
    assert.equal(dup.status, 409);
    const weak = await s.call('POST', '/api/auth/signup', { body: { email: 'weak@example.com', password: 'short' } });
    assert.equal(weak.status, 422);
    assert.match(weak.body.error.message, /password/);
  });

  it('stores passwords hashed with scrypt', async () => {
    const { email } = await s.signUp('hash');
    const [row] = await s.db.sql<{ passwordHash: string }[]>`SELECT password_hash FROM users WHERE email = ${email}`;
    assert.match(row!.passwordHash, /^scrypt\$32768\$8\$1\$/);
    assert.ok(!row!.passwordHash.includes('correct horse'));
  });

  it('rotates refresh tokens and revokes the family when a rotated one is reused', async () => {
    const { session } = await s.signUp('rot');
    const first = await s.call('POST', '/api/auth/refresh', { body: { refreshToken: session.refreshToken } });
    assert.equal(first.status, 200);
    assert.notEqual(first.body.refreshToken, session.refreshToken);
    const second = await s.call('POST', '/api/auth/refresh', { body: { refreshToken: first.body.refreshToken } });
    assert.equal(second.status, 200);
    // The stolen, already-rotated token comes back: everything from that sign-in is revoked.
    const replay = await s.call('POST', '/api/auth/refresh', { body: { refreshToken: session.refreshToken } });
    assert.equal(replay.status, 401);
    assert.match(replay.body.error.message, /already used/);
    const latest = await s.call('POST', '/api/auth/refresh', { body: { refreshToken: second.body.refreshToken } });
    assert.equal(latest.status, 401, 'the newest token of the family is revoked too');
  });

  it('signs out by revoking the refresh family', async () => {
    const { session } = await s.signUp('out');
    assert.equal((await s.call('POST', '/api/auth/signout', { body: { refreshToken: session.refreshToken } })).status, 200);
    assert.equal((await s.call('POST', '/api/auth/refresh', { body: { refreshToken: session.refreshToken } })).status, 401);
  });

  it('rejects missing, malformed, forged and expired access tokens', async () => {
    assert.equal((await s.call('GET', '/api/me')).status, 401);
    assert.equal((await s.call('GET', '/api/me', { token: 'not-a-jwt-at-all' })).status, 401);
    const { token } = await s.signUp('forge');
    const [h, p] = token.split('.');
    const forged = `${h}.${p}.${Buffer.from('x'.repeat(32)).toString('base64url')}`;
    assert.equal((await s.call('GET', '/api/me', { token: forged })).status, 401);
    const me = await s.call('GET', '/api/me', { token });
    const expired = await new SignJWT({ typ: 'access' }).setProtectedHeader({ alg: 'HS256' }).setSubject(me.body.user.id)
      .setIssuer('slipway').setAudience('slipway-api').setIssuedAt(Math.floor(Date.now() / 1000) - 120)
      .setExpirationTime(Math.floor(Date.now() / 1000) - 60).sign(s.services.jwtKey);
    assert.equal((await s.call('GET', '/api/me', { token: expired })).status, 401);
    const other = await new SignJWT({ typ: 'access' }).setProtectedHeader({ alg: 'HS256' }).setSubject(me.body.user.id)
      .setIssuer('slipway').setAudience('slipway-api').setExpirationTime('5m').sign(new Uint8Array(32).fill(7));
    assert.equal((await s.call('GET', '/api/me', { token: other })).status, 401, "another server's key is not ours");
    const noneAlg = `${Buffer.from('{"alg":"none"}').toString('base64url')}.${p}.`;
    assert.equal((await s.call('GET', '/api/me', { token: noneAlg })).status, 401);
  });

  it('creates, lists, uses and revokes API tokens; the secret is shown once and stored hashed', async () => {
    const { token } = await s.signUp('pat');
    const created = await s.call('POST', '/api/tokens', { token, body: { name: 'VS Code' } });
    assert.equal(created.status, 201);
    const pat: string = created.body.token;
    assert.match(pat, /^slp_pat_/);
    const list = await s.call('GET', '/api/tokens', { token });
    assert.equal(list.body.items.length, 1);
    assert.equal(list.body.items[0].token, undefined);
    assert.equal(list.body.items[0].prefix, pat.slice(0, 12));
    const me = await s.call('GET', '/api/me', { token: pat });
    assert.equal(me.status, 200);
    const stored = await s.db.sql`SELECT 1 FROM api_tokens WHERE token_hash::text LIKE ${'%' + pat + '%'}`;
    assert.equal(stored.length, 0);
    assert.equal((await s.call('DELETE', `/api/tokens/${created.body.info.id}`, { token })).status, 200);
    assert.equal((await s.call('GET', '/api/me', { token: pat })).status, 401);
  });

  it("cannot revoke another user's API token (404)", async () => {
    const a = await s.signUp('a');
    const b = await s.signUp('b');
    const created = await s.call('POST', '/api/tokens', { token: a.token, body: { name: 'mine' } });
    assert.equal((await s.call('DELETE', `/api/tokens/${created.body.info.id}`, { token: b.token })).status, 404);
    assert.equal((await s.call('GET', '/api/me', { token: created.body.token })).status, 200);
  });

  it('first run: the bootstrap admin signs in once with the printed token', async () => {
    assert.ok(s.firstRun, 'an empty database gets an admin and a one-time token');
    const redeemed = await s.call('POST', '/api/auth/redeem', { body: { token: s.firstRun!.token } });
    assert.equal(redeemed.status, 200);
    assert.equal(redeemed.body.user.isAdmin, true);
    assert.equal((await s.call('POST', '/api/auth/redeem', { body: { token: s.firstRun!.token } })).status, 401);
  });
});

describe('auth: invite-only sign-up', () => {
  let s: TestServer;
  before(async () => { s = await startTestServer({ signup: 'invite' }); });
  after(async () => { await s.close(); });

  it('needs a valid invite, which joins the team once', async () => {
    const closed = await s.call('POST', '/api/auth/signup', { body: { email: 'x@example.com', password: 'a long password' } });
    assert.equal(closed.status, 403);
    const admin = await s.call('POST', '/api/auth/redeem', { body: { token: s.firstRun!.token } });
    const teamId = (await s.call('GET', '/api/me', { token: admin.body.accessToken })).body.teams[0].id;
    const invite = await s.call('POST', `/api/teams/${teamId}/invites`, { token: admin.body.accessToken, body: {} });
    assert.equal(invite.status, 201);
    const joined = await s.call('POST', '/api/auth/signup', { body: { email: 'x@example.com', password: 'a long password', invite: invite.body.code } });
    assert.equal(joined.status, 201);
    const me = await s.call('GET', '/api/me', { token: joined.body.accessToken });
    assert.ok(me.body.teams.some((t: { id: string; role: string }) => t.id === teamId && t.role === 'member'));
    const again = await s.call('POST', '/api/auth/signup', { body: { email: 'y@example.com', password: 'a long password', invite: invite.body.code } });
    assert.equal(again.status, 403);
  });
});
