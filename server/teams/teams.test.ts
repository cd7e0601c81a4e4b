import assert from 'node:assert/strict';
import { startTestServer, type TestServer } from '../testing/test-server';

describe('teams', () => {
  let s: TestServer;
  before(async () => { s = await startTestServer(); });
  after(async () => { await s.close(); });

  const userId = async (token: string) => (await s.call('GET', '/api/me', { token })).body.user.id as string;

  it('gives every new user a personal team they own, and lets them create more', async () => {
    const a = await s.signUp('solo');
    const teams = await s.call('GET', '/api/teams', { token: a.token });
    assert.deepEqual(teams.body.items.map((t: { role: string }) => t.role), ['owner']);
    const created = await s.call('POST', '/api/teams', { token: a.token, body: { name: 'Platform' } });
    assert.equal(created.status, 201);
    assert.equal((await s.call('GET', '/api/teams', { token: a.token })).body.items.length, 2);
  });

  it('enforces roles: members cannot manage, admins cannot touch owners, a team keeps an owner', async () => {
    const owner = await s.signUp('o');
    const admin = await s.signUp('a');
    const member = await s.signUp('m');
    await s.addMember(owner, owner.teamId, admin, 'admin');
    await s.addMember(owner, owner.teamId, member);
    const ownerId = await userId(owner.token);
    const memberId = await userId(member.token);

    assert.equal((await s.call('POST', `/api/teams/${owner.teamId}/invites`, { token: member.token, body: {} })).status, 403);
    assert.equal((await s.call('DELETE', `/api/teams/${owner.teamId}/members/${ownerId}`, { token: member.token })).status, 403);
    assert.equal((await s.call('GET', `/api/teams/${owner.teamId}/audit`, { token: member.token })).status, 403);
    assert.equal((await s.call('PATCH', `/api/teams/${owner.teamId}/members/${ownerId}`, { token: admin.token, body: { role: 'member' } })).status, 403);
    assert.equal((await s.call('POST', `/api/teams/${owner.teamId}/members`, { token: admin.token, body: { email: 'x@example.com', role: 'owner' } })).status, 403);
    const promoted = await s.call('PATCH', `/api/teams/${owner.teamId}/members/${memberId}`, { token: admin.token, body: { role: 'admin' } });
    assert.equal(promoted.body.role, 'admin');
    const lastOwner = await s.call('PATCH', `/api/teams/${owner.teamId}/members/${ownerId}`, { token: owner.token, body: { role: 'admin' } });
    assert.equal(lastOwner.status, 409);
    assert.equal((await s.call('DELETE', `/api/teams/${owner.teamId}/members/${ownerId}`, { token: owner.token })).status, 409);
    // A member may leave on their own.
    assert.equal((await s.call('DELETE', `/api/teams/${owner.teamId}/members/${memberId}`, { token: member.token })).status, 200);
    const members = await s.call('GET', `/api/teams/${owner.teamId}/members`, { token: owner.token });
    assert.equal(members.body.items.length, 2);
  });

  it('lets admins set sandbox limits within the server maximum', async () => {
    const owner = await s.signUp('lim');
    const member = await s.signUp('limm');
    await s.addMember(owner, owner.teamId, member);
    const set = await s.call('PATCH', `/api/teams/${owner.teamId}`, { token: owner.token, body: { name: 'Limited', sandboxLimits: { memoryMb: 1024, cpus: 1 } } });
    assert.equal(set.status, 200);
    assert.deepEqual(set.body.sandboxLimits, { memoryMb: 1024, cpus: 1 });
    assert.equal(set.body.name, 'Limited');
    assert.equal((await s.call('PATCH', `/api/teams/${owner.teamId}`, { token: member.token, body: { sandboxLimits: { cpus: 2 } } })).status, 403);
    const tooMuch = await s.call('PATCH', `/api/teams/${owner.teamId}`, { token: owner.token, body: { sandboxLimits: { memoryMb: 999_999 } } });
    assert.equal(tooMuch.status, 422);
    assert.match(tooMuch.body.error.message, /at most/);
    const reset = await s.call('PATCH', `/api/teams/${owner.teamId}`, { token: owner.token, body: { sandboxLimits: null } });
    assert.equal(reset.body.sandboxLimits, null);
    assert.equal(reset.body.name, 'Limited');
  });

  it('outsiders get 404 on every team route', async () => {
    const owner = await s.signUp('t');
    const outsider = await s.signUp('x');
    const ownerId = await userId(owner.token);
    const calls: [string, string, unknown?][] = [
      ['GET', `/api/teams/${owner.teamId}/members`],
      ['PATCH', `/api/teams/${owner.teamId}`, { name: 'taken' }],
      ['POST', `/api/teams/${owner.teamId}/members`, { email: outsider.email }],
      ['PATCH', `/api/teams/${owner.teamId}/members/${ownerId}`, { role: 'member' }],
      ['DELETE', `/api/teams/${owner.teamId}/members/${ownerId}`],
      ['POST', `/api/teams/${owner.teamId}/invites`, {}],
      ['GET', `/api/teams/${owner.teamId}/audit`],
    ];
    for (const [method, path, body] of calls) {
      assert.equal((await s.call(method, path, { token: outsider.token, body })).status, 404, `${method} ${path}`);
    }
  });

  it('adding someone is an invitation: the same answer for unknown and known emails, no membership until accepted', async () => {
    const owner = await s.signUp('inviter');
    const known = await s.signUp('known');
    const unknownEmail = `nobody-${Date.now()}@example.com`;
    const toKnown = await s.call('POST', `/api/teams/${owner.teamId}/members`, { token: owner.token, body: { email: known.email } });
    const toUnknown = await s.call('POST', `/api/teams/${owner.teamId}/members`, { token: owner.token, body: { email: unknownEmail } });
    assert.equal(toKnown.status, 202);
    assert.equal(toUnknown.status, toKnown.status);
    assert.deepEqual(Object.keys(toUnknown.body).sort(), Object.keys(toKnown.body).sort());
    assert.deepEqual({ ...toUnknown.body, email: 'x', expiresAt: 'x' }, { ...toKnown.body, email: 'x', expiresAt: 'x' });
    assert.deepEqual([...toKnown.headers.keys()], [...toUnknown.headers.keys()]);

    const ids = async () => (await s.call('GET', `/api/teams/${owner.teamId}/members`, { token: owner.token })).body.items.map((m: { email: string }) => m.email);
    assert.deepEqual(await ids(), [owner.email], 'nobody joined yet');
    assert.equal((await s.call('GET', `/api/teams/${owner.teamId}/members`, { token: known.token })).status, 404, 'the invitee sees nothing of the team yet');

    const pending = await s.call('GET', '/api/invitations', { token: known.token });
    assert.equal(pending.status, 200);
    assert.equal(pending.body.items.length, 1);
    const [invitation] = pending.body.items;
    assert.equal(invitation.teamId, owner.teamId);
    assert.equal(invitation.invitedBy, 'inviter');

    const third = await s.signUp('third');
    assert.equal((await s.call('POST', `/api/invitations/${invitation.id}/accept`, { token: third.token })).status, 404, "a third user cannot accept someone else's invitation");
    assert.equal((await s.call('POST', `/api/invitations/${invitation.id}/decline`, { token: third.token })).status, 404);
    assert.deepEqual((await s.call('GET', '/api/invitations', { token: third.token })).body.items, []);
    assert.deepEqual(await ids(), [owner.email]);

    const accepted = await s.call('POST', `/api/invitations/${invitation.id}/accept`, { token: known.token });
    assert.equal(accepted.status, 200);
    assert.equal(accepted.body.id, owner.teamId);
    assert.equal(accepted.body.role, 'member');
    assert.deepEqual(await ids(), [owner.email, known.email]);
    assert.equal((await s.call('POST', `/api/invitations/${invitation.id}/accept`, { token: known.token })).status, 404, 'used once');
    assert.equal((await s.call('POST', `/api/teams/${owner.teamId}/members`, { token: owner.token, body: { email: known.email } })).status, 409, 'already a member (the admin sees members anyway)');
  });

  it('admins see and withdraw pending invitations; members and outsiders cannot', async () => {
    const owner = await s.signUp('withdraw');
    const invitee = await s.signUp('invitee');
    await s.call('POST', `/api/teams/${owner.teamId}/members`, { token: owner.token, body: { email: invitee.email } });
    const pending = await s.call('GET', `/api/teams/${owner.teamId}/invitations`, { token: owner.token });
    assert.deepEqual(pending.body.items.map((i: { email: string }) => i.email), [invitee.email]);
    assert.equal((await s.call('GET', `/api/teams/${owner.teamId}/invitations`, { token: invitee.token })).status, 404);
    const id = pending.body.items[0].id;
    assert.equal((await s.call('DELETE', `/api/teams/${invitee.teamId}/invitations/${id}`, { token: invitee.token })).status, 404, "not from another team's id");
    assert.equal((await s.call('DELETE', `/api/teams/${owner.teamId}/invitations/${id}`, { token: owner.token })).status, 200);
    assert.deepEqual((await s.call('GET', '/api/invitations', { token: invitee.token })).body.items, []);
  });

  it('an invitation to an address without an account waits for its sign-up; declining leaves the team as it was', async () => {
    const owner = await s.signUp('later');
    const email = `later-${Date.now()}@example.com`;
    await s.call('POST', `/api/teams/${owner.teamId}/members`, { token: owner.token, body: { email, role: 'admin' } });
    const signedUp = await s.call('POST', '/api/auth/signup', { body: { email, password: 'correct horse battery' } });
    const [invitation] = (await s.call('GET', '/api/invitations', { token: signedUp.body.accessToken })).body.items;
    assert.equal(invitation.role, 'admin');
    assert.equal((await s.call('POST', `/api/invitations/${invitation.id}/decline`, { token: signedUp.body.accessToken })).status, 200);
    assert.deepEqual((await s.call('GET', '/api/invitations', { token: signedUp.body.accessToken })).body.items, []);
    assert.equal((await s.call('GET', `/api/teams/${owner.teamId}/members`, { token: owner.token })).body.items.length, 1);
  });

  it('records an audit trail visible to admins', async () => {
    const owner = await s.signUp('aud');
    await s.call('POST', '/api/projects', { token: owner.token, body: { teamId: owner.teamId, name: 'audited' } });
    const log = await s.call('GET', `/api/teams/${owner.teamId}/audit`, { token: owner.token });
    assert.deepEqual(log.body.items.map((e: { action: string }) => e.action).slice(0, 2), ['project.create', 'user.signup']);
  });
});

describe('rate limits', () => {
  let s: TestServer;
  before(async () => {
    s = await startTestServer({ rateLimits: { auth: { limit: 3, windowSeconds: 3600 }, create: { limit: 2, windowSeconds: 3600 }, import: { limit: 1, windowSeconds: 3600 }, prompt: { limit: 60, windowSeconds: 3600 } } });
  });
  after(async () => { await s.close(); });

  it('limits expensive routes per user and says when to retry', async () => {
    const a = await s.signUp('busy');
    const b = await s.signUp('calm');
    const create = (u: typeof a) => s.call('POST', '/api/projects', { token: u.token, body: { teamId: u.teamId, name: 'p' } });
    assert.equal((await create(a)).status, 201);
    assert.equal((await create(a)).status, 201);
    const limited = await create(a);
    assert.equal(limited.status, 429);
    assert.equal(limited.body.error.code, 'rate_limited');
    assert.ok(Number(limited.headers.get('retry-after')) > 0);
    assert.equal((await create(b)).status, 201, 'another user has their own budget');
  });

  it('limits invitations per user (no flooding strangers\' invitation lists)', async () => {
    const limited = await startTestServer({ rateLimits: { invite: { limit: 2, windowSeconds: 3600 } } });
    try {
      const owner = await limited.signUp('inviter');
      const invite = (n: number) => limited.call('POST', `/api/teams/${owner.teamId}/members`, { token: owner.token, body: { email: `someone-${n}@example.com` } });
      assert.equal((await invite(1)).status, 202);
      assert.equal((await invite(2)).status, 202);
      const refused = await invite(3);
      assert.equal(refused.status, 429);
      assert.equal(refused.body.error.code, 'rate_limited');
      assert.equal((await limited.call('POST', `/api/teams/${owner.teamId}/invites`, { token: owner.token, body: {} })).status, 429, 'invite codes share the budget');
    } finally {
      await limited.close();
    }
  });

  it('limits sign-in attempts', async () => {
    const statuses: number[] = [];
    // Fixed windows: even if one boundary falls inside this loop, 7 attempts leave more than 3 in one window.
    for (let i = 0; i < 7; i++) statuses.push((await s.call('POST', '/api/auth/signin', { body: { email: 'n@example.com', password: 'guess' } })).status);
    assert.ok(statuses.includes(429), statuses.join(','));
  });
});
