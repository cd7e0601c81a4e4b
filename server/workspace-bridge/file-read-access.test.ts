import assert from 'node:assert/strict';
import { sandboxForMember, startMemberSandboxRead } from '../access/sandbox-access';
import { startTestServer, type TestServer } from '../testing/test-server';

/**
 * The editor's file read starts its membership-and-sandbox query beside the session check. These
 * check that this weakened nothing: the session still decides first (401), outsiders still get 404,
 * API tokens still work, and an early read is never used for another user or project.
 */
describe('file read: access checks with the early membership read', function () {
  this.timeout(20_000);
  let s: TestServer;
  let owner: Awaited<ReturnType<TestServer['signUp']>>;
  let projectId: string;
  const read = (token: string, id = projectId) => s.call('GET', `/api/projects/${id}/files?path=a.txt`, { token });

  before(async () => {
    s = await startTestServer();
    owner = await s.signUp('owner');
    projectId = (await s.call('POST', '/api/projects', { token: owner.token, body: { teamId: owner.teamId, name: 'f', start: false } })).body.id;
  });
  after(() => s?.close());

  it('gets past access to the sandbox check for a member (its sandbox is stopped: 409), by session or API token', async () => {
    const bySession = await read(owner.token);
    assert.equal(bySession.status, 409);
    const pat = (await s.call('POST', '/api/tokens', { token: owner.token, body: { name: 'editor' } })).body.token as string;
    assert.equal((await read(pat)).status, 409);
  });

  it('answers 404 to a foreign user, and to a project that does not exist; 422 to a bad id', async () => {
    const outsider = await s.signUp('outsider');
    assert.equal((await read(outsider.token)).status, 404);
    assert.equal((await read(owner.token, '00000000-0000-4000-8000-000000000000')).status, 404);
    assert.equal((await read(owner.token, 'not-a-uuid')).status, 422);
  });

  it('answers 401 once the session is signed out, though the access token is still within its lifetime and the user a member', async () => {
    const member = await s.signUp('leaver');
    await s.addMember(owner, owner.teamId, member);
    // Signed in afresh, so the membership is in the token's session; then signed out.
    const session = (await s.call('POST', '/api/auth/signin', { body: { email: member.email, password: 'correct horse battery' } })).body;
    const token = session.accessToken as string;
    assert.equal((await read(token)).status, 409, 'a member before signing out');
    assert.equal((await s.call('POST', '/api/auth/signout', { body: { refreshToken: session.refreshToken } })).status, 200);
    const after = await read(token);
    assert.equal(after.status, 401);
    assert.equal(after.body.error.code, 'unauthorized');
  });

  it('never uses an early read for another user or another project', async () => {
    const outsider = await s.signUp('other');
    const services = s.services;
    // An outsider's request with an early read started as the owner (what a bug could pass on) still gets 404.
    await assert.rejects(sandboxForMember(services, outsider.session.user.id, projectId, startMemberSandboxRead(services, owner.session.user.id, projectId)), /not found|project/i);
    // The owner's early read for project A is not taken for project B.
    const other = (await s.call('POST', '/api/projects', { token: owner.token, body: { teamId: owner.teamId, name: 'g', start: false } })).body.id as string;
    await assert.rejects(sandboxForMember(services, outsider.session.user.id, other, startMemberSandboxRead(services, outsider.session.user.id, projectId)), /not found|project/i);
  });
});
