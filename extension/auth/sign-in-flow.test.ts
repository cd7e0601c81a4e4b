import assert from 'node:assert/strict';
import { ClientError } from '../../protocol/client/client-error';
import { createRestClient, type FetchLike } from '../../protocol/client/rest-client';
import { stopTestCluster } from '../../server/testing/postgres';
import { startTestServer, type TestServer } from '../../server/testing/test-server';
import { describeError } from '../describe-error';
import { classifyToken, revokeSession, signInWithToken } from './sign-in-flow';

after(() => stopTestCluster());

describe('Sign-in flow (real server)', () => {
  let s: TestServer;
  const client = () => createRestClient({ baseUrl: s.url, fetch: globalThis.fetch as FetchLike });
  before(async () => { s = await startTestServer(); });
  after(async () => { await s.close(); });

  it('tells token kinds apart and trims what was pasted', () => {
    const body = 'A'.repeat(43);
    assert.deepEqual(classifyToken(` "slp_sit_${body}"\n`), { kind: 'sit', token: `slp_sit_${body}` });
    assert.equal(classifyToken(`slp_pat_${body}`).kind, 'pat');
    assert.equal(classifyToken(`slp_rt_${body}`).kind, 'unknown');
    assert.equal(classifyToken('hello').kind, 'unknown');
  });

  it('redeems a one-time sign-in token for a named API token that works, once', async () => {
    const sit = s.firstRun?.token;
    assert.ok(sit, 'the test server prints a first-run sign-in token');
    const session = await signInWithToken(client(), s.url, sit, 'VS Code on test');
    assert.match(session.token, /^slp_pat_/);
    assert.equal(session.user.email, 'admin@slipway.local');
    const me = await s.call('GET', '/api/me', { token: session.token });
    assert.equal(me.status, 200);
    const tokens = await s.call('GET', '/api/tokens', { token: session.token });
    assert.deepEqual(tokens.body.items.map((t: { name: string; id: string }) => [t.name, t.id]), [['VS Code on test', session.tokenId]]);
    await assert.rejects(signInWithToken(client(), s.url, sit, 'again'), (e) => ClientError.is(e, 'unauthorized'));
  });

  it('keeps a pasted API token, finds its id, and revokes it on sign-out', async () => {
    const { token } = await s.signUp('pat');
    const created = await s.call('POST', '/api/tokens', { token, body: { name: 'pasted' } });
    const session = await signInWithToken(client(), s.url, created.body.token, 'unused');
    assert.equal(session.token, created.body.token);
    assert.equal(session.tokenId, created.body.info.id);
    await revokeSession(client(), session);
    assert.equal((await s.call('GET', '/api/me', { token: session.token })).status, 401);
    await revokeSession(client(), session); // already revoked: fine
    await assert.rejects(signInWithToken(client(), s.url, session.token, 'x'), (e) => ClientError.is(e, 'unauthorized') && /revoked.*Sign in again/.test(describeError(e, s.url)));
  });

  it('explains a server that speaks another protocol version, and one that is not there', async () => {
    const future: FetchLike = (url, init) => globalThis.fetch(url, { ...init, headers: { ...init.headers, 'x-slipway-protocol': '2' } });
    const error = await signInWithToken(createRestClient({ baseUrl: s.url, fetch: future }), s.url, `slp_pat_${'A'.repeat(43)}`, 'x').catch((e: unknown) => e);
    assert.ok(ClientError.is(error, 'unsupported_protocol') && error.status === 426);
    assert.match(describeError(error, s.url), /another version of the Slipway protocol/);
    const gone = createRestClient({ baseUrl: 'http://127.0.0.1:9', fetch: globalThis.fetch as FetchLike });
    const down = await signInWithToken(gone, 'http://127.0.0.1:9', `slp_pat_${'A'.repeat(43)}`, 'x').catch((e: unknown) => e);
    assert.match(describeError(down, 'http://127.0.0.1:9'), /Cannot reach the Slipway server at http:\/\/127\.0\.0\.1:9/);
    await assert.rejects(signInWithToken(gone, 'http://127.0.0.1:9', 'not a token', 'x'), /not a Slipway token/);
  });
});
