import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { startTestServer, type TestServer } from '../testing/test-server';
import { openTestSocket } from '../testing/ws-client';

describe('WebSocket', () => {
  let s: TestServer;
  before(async () => {
    s = await startTestServer({ limits: { jsonBytes: 1 << 20, zipBytes: 1 << 20, zipEntries: 10, unzippedBytes: 1 << 20, wsMessageBytes: 2048 } });
  });
  after(async () => { await s.close(); });

  it('refuses unauthenticated and bad-token connections with a JSON reason', async () => {
    await assert.rejects(openTestSocket(s.url, undefined), (e: any) => e.status === 401 && e.body.error.code === 'unauthorized');
    await assert.rejects(openTestSocket(s.url, 'slp_pat_' + 'A'.repeat(43)), (e: any) => e.status === 401);
  });

  it('refuses a client that speaks another protocol version', async () => {
    const { token } = await s.signUp('ver');
    await assert.rejects(openTestSocket(s.url, token, ['slipway.v99']), (e: any) => e.status === 426 && /protocol 1/.test(e.body.error.message));
    await assert.rejects(openTestSocket(s.url, token, []), (e: any) => e.status === 426);
  });

  it('answers malformed, unknown, invalid and oversized messages with errors, and keeps going', async () => {
    const { token } = await s.signUp('bad');
    const sock = await openTestSocket(s.url, token);
    const sibling = await openTestSocket(s.url, token);
    sock.raw('{not json');
    assert.equal((await sock.next((f) => f.error)).error.code, 'bad_request');
    sock.raw(JSON.stringify({ id: 'x', method: 1 }));
    assert.equal((await sock.next((f) => f.error)).error.code, 'bad_request');
    assert.equal((await sock.request('no.such.method')).error!.code, 'not_found');
    assert.equal((await sock.request('projects.subscribe', { teamId: 'nope' })).error!.code, 'validation_failed');
    sock.raw(JSON.stringify({ id: 9, method: 'ping', params: { pad: 'x'.repeat(4000) } }));
    const tooLarge = await sock.next((f) => f.error);
    assert.equal(tooLarge.error.code, 'payload_too_large');
    assert.equal(tooLarge.id, 9, 'answered under the request\'s id, so its caller is not left waiting');
    sock.ws.send(Buffer.from([1, 2, 3]));
    assert.equal((await sock.next((f) => f.error)).error.code, 'bad_request');
    assert.ok((await sock.request('ping')).result.at > 0, 'the same connection still works');
    // Far over the hard cap: only that socket is closed.
    const closed = new Promise<number>((resolve) => sock.ws.once('close', (code) => resolve(code)));
    sock.raw('x'.repeat(20_000));
    assert.equal(await closed, 1009);
    assert.ok((await sibling.request('ping')).result.at > 0, 'siblings are untouched');
    await sibling.close();
  });

  it('pushes project changes to team subscribers, and only to them', async () => {
    const a = await s.signUp('sub');
    const b = await s.signUp('spy');
    const sockA = await openTestSocket(s.url, a.token);
    const sockB = await openTestSocket(s.url, b.token);
    const subscribed = await sockA.request('projects.subscribe', { teamId: a.teamId });
    assert.deepEqual(subscribed.result.projects, []);
    const spying = await sockB.request('projects.subscribe', { teamId: a.teamId });
    assert.equal(spying.error!.code, 'not_found', "another team's id is not found");
    const created = await s.call('POST', '/api/projects', { token: a.token, body: { teamId: a.teamId, name: 'live' } });
    const pushed = await sockA.next((f) => f.event === 'project.updated');
    assert.equal(pushed.data.project.id, created.body.id);
    assert.equal(pushed.data.project.status, 'CREATING');
    await s.call('POST', `/api/projects/${created.body.id}/stop`, { token: a.token });
    const stopped = await sockA.next((f) => f.event === 'project.updated' && f.data.project.desiredState === 'STOPPED');
    assert.equal(stopped.data.project.version, 2);
    await assert.rejects(sockB.next((f) => f.event === 'project.updated', 300), /no matching frame/);
    await sockA.close();
    await sockB.close();
  });

  it("checkpoints.diff: another team's checkpoint and a made-up id get the same answer", async () => {
    const a = await s.signUp('cpa');
    const b = await s.signUp('cpb');
    const project = await s.call('POST', '/api/projects', { token: a.token, body: { teamId: a.teamId, name: 'cp' } });
    const [checkpoint] = await s.db.sql<{ id: string }[]>`
      INSERT INTO checkpoints (project_id, commit, message, files) VALUES (${project.body.id}, ${'0'.repeat(40)}, 'x', ${s.db.sql.json([])}) RETURNING id`;
    const sock = await openTestSocket(s.url, b.token);
    const foreign = await sock.request('checkpoints.diff', { checkpointId: checkpoint!.id });
    const missing = await sock.request('checkpoints.diff', { checkpointId: randomUUID() });
    assert.equal(foreign.error!.code, 'not_found');
    assert.deepEqual(foreign.error, missing.error);
    const restore = await sock.request('checkpoints.restore', { checkpointId: checkpoint!.id });
    assert.deepEqual(restore.error, (await sock.request('checkpoints.restore', { checkpointId: randomUUID() })).error);
    await sock.close();
  });

  it('stops pushing to a user removed from the team', async () => {
    const owner = await s.signUp('own');
    const member = await s.signUp('mem');
    await s.addMember(owner, owner.teamId, member);
    const sock = await openTestSocket(s.url, member.token);
    assert.ok((await sock.request('projects.subscribe', { teamId: owner.teamId })).result);
    const memberId = (await s.call('GET', '/api/me', { token: member.token })).body.user.id;
    const closed = new Promise<number>((resolve) => sock.ws.once('close', (code) => resolve(code)));
    await s.call('DELETE', `/api/teams/${owner.teamId}/members/${memberId}`, { token: owner.token });
    // Every subscription of theirs ends at once (chats, terminals, watches too): the socket closes.
    assert.equal(await closed, 4001);
    const again = await openTestSocket(s.url, member.token);
    assert.equal((await again.request('projects.subscribe', { teamId: owner.teamId })).error!.code, 'not_found');
    await again.close();
    await s.call('POST', '/api/projects', { token: owner.token, body: { teamId: owner.teamId, name: 'after removal' } });
    await assert.rejects(sock.next((f) => f.event === 'project.updated', 500), /no matching frame/);
  });
});
