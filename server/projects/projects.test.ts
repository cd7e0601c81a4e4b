import assert from 'node:assert/strict';
import type { RouteDef } from '../../protocol/rest/route';
import { restRoutes, type RouteName } from '../../protocol/rest/routes';
import { startTestServer, type TestServer } from '../testing/test-server';

describe('projects', () => {
  let s: TestServer;
  before(async () => { s = await startTestServer(); });
  after(async () => { await s.close(); });

  it('creates from a template, returning at once with the desired state written', async () => {
    const a = await s.signUp('maker');
    const templates = await s.call('GET', '/api/templates', { token: a.token });
    assert.deepEqual(templates.body.items.map((t: { name: string }) => t.name).sort(), ['empty', 'web-app', 'web-app-postgres']);
    const created = await s.call('POST', '/api/projects', { token: a.token, body: { teamId: a.teamId, name: 'Café Orders!', template: 'web-app' } });
    assert.equal(created.status, 201);
    assert.match(created.body.slug, /^cafe-orders-[a-z0-9]{6}$/);
    assert.equal(created.body.desiredState, 'RUNNING');
    assert.equal(created.body.status, 'CREATING');
    const got = await s.call('GET', `/api/projects/${created.body.id}`, { token: a.token });
    assert.deepEqual(got.body, created.body);
    const unknown = await s.call('POST', '/api/projects', { token: a.token, body: { teamId: a.teamId, name: 'x', template: 'nope' } });
    assert.equal(unknown.status, 400);
    assert.match(unknown.body.error.message, /unknown template/);
  });

  it('start, stop and delete write the desired state; stale versions conflict', async () => {
    const a = await s.signUp('life');
    const p = (await s.call('POST', '/api/projects', { token: a.token, body: { teamId: a.teamId, name: 'life', start: false } })).body;
    assert.equal(p.desiredState, 'STOPPED');
    const started = await s.call('POST', `/api/projects/${p.id}/start`, { token: a.token });
    assert.equal(started.status, 202);
    assert.equal(started.body.desiredState, 'RUNNING');
    assert.equal(started.body.version, p.version + 1);
    const stale = await s.call('PATCH', `/api/projects/${p.id}`, { token: a.token, body: { name: 'renamed', version: p.version } });
    assert.equal(stale.status, 409);
    const renamed = await s.call('PATCH', `/api/projects/${p.id}`, { token: a.token, body: { name: 'renamed', version: started.body.version } });
    assert.equal(renamed.status, 200);
    assert.equal(renamed.body.name, 'renamed');
    const stopped = await s.call('POST', `/api/projects/${p.id}/stop`, { token: a.token });
    assert.equal(stopped.body.desiredState, 'STOPPED');
    const deleted = await s.call('DELETE', `/api/projects/${p.id}`, { token: a.token });
    assert.equal(deleted.status, 202);
    assert.equal(deleted.body.desiredState, 'DELETED');
    assert.equal(deleted.body.status, 'TERMINATING');
    assert.equal((await s.call('POST', `/api/projects/${p.id}/start`, { token: a.token })).status, 409);
  });

  it('lists newest first with keyset pagination, only the caller\'s teams', async () => {
    const a = await s.signUp('lister');
    const b = await s.signUp('other');
    for (let i = 0; i < 5; i++) await s.call('POST', '/api/projects', { token: a.token, body: { teamId: a.teamId, name: `p${i}` } });
    await s.call('POST', '/api/projects', { token: b.token, body: { teamId: b.teamId, name: 'not yours' } });
    const page1 = await s.call('GET', '/api/projects?limit=2', { token: a.token });
    assert.deepEqual(page1.body.items.map((p: { name: string }) => p.name), ['p4', 'p3']);
    const page2 = await s.call('GET', `/api/projects?limit=2&cursor=${page1.body.nextCursor}`, { token: a.token });
    const page3 = await s.call('GET', `/api/projects?limit=2&cursor=${page2.body.nextCursor}`, { token: a.token });
    assert.deepEqual(page2.body.items.map((p: { name: string }) => p.name), ['p2', 'p1']);
    assert.deepEqual(page3.body.items.map((p: { name: string }) => p.name), ['p0']);
    assert.equal(page3.body.nextCursor, null);
    assert.equal((await s.call('GET', `/api/projects?teamId=${b.teamId}`, { token: a.token })).status, 404);
    assert.equal((await s.call('GET', '/api/projects?cursor=garbage', { token: a.token })).status, 400);
  });

  it('isolates teams on every project route: outsiders get 404 and change nothing', async () => {
    const owner = await s.signUp('owner');
    const outsider = await s.signUp('outsider');
    const p = (await s.call('POST', '/api/projects', { token: owner.token, body: { teamId: owner.teamId, name: 'secret' } })).body;
    await s.call('PUT', `/api/projects/${p.id}/env/API_KEY`, { token: owner.token, body: { value: 'v', secret: true } });
    // A valid body for every project route that takes one, so only membership can refuse the call.
    const bodies: Partial<Record<RouteName, unknown>> = {
      'projects.update': { name: 'hijacked' }, 'env.put': { value: 'hijacked' }, 'projects.preview': { port: 3000 },
      'agent.settings.put': { approvals: { write: 'ask' } }, 'chats.create': { title: 'hijacked' },
      'database.dump': { path: 'hijacked.dump' }, 'database.restore': { path: 'hijacked.dump' },
      'mcp.settings.put': { servers: { evil: { command: 'curl', args: ['http://attacker'] } } },
    };
    const projectRoutes = (Object.entries(restRoutes) as [RouteName, RouteDef][]).filter(([, r]) => r.path.includes(':projectId'));
    assert.ok(projectRoutes.length >= 8);
    const queries: Partial<Record<RouteName, string>> = { 'files.read': '?path=README.md', 'files.write': '?path=README.md' };
    for (const [name, route] of projectRoutes) {
      assert.ok(!route.body || name in bodies || route.bodyType === 'bytes', `add a sample body for ${name}`);
      assert.ok(!route.query || name in queries, `add a sample query for ${name}`);
      const path = route.path.replace(':projectId', p.id).replace(':key', 'API_KEY') + (queries[name] ?? '');
      const res = route.bodyType === 'bytes'
        ? await s.call(route.method, path, { token: outsider.token, raw: 'hijacked', headers: { 'content-type': 'application/octet-stream' } })
        : await s.call(route.method, path, { token: outsider.token, body: bodies[name] });
      assert.equal(res.status, 404, `${route.method} ${route.path} gave ${res.status}`);
      assert.doesNotMatch(JSON.stringify(res.body), /secret|hijacked/);
    }
    const after = await s.call('GET', `/api/projects/${p.id}`, { token: owner.token });
    assert.equal(after.body.name, 'secret');
    assert.equal(after.body.desiredState, 'RUNNING');
    const env = await s.call('GET', `/api/projects/${p.id}/env`, { token: owner.token });
    assert.equal(env.body.items.length, 1);
    const create = await s.call('POST', '/api/projects', { token: outsider.token, body: { teamId: owner.teamId, name: 'intruder' } });
    assert.equal(create.status, 404);
  });

  it('members can see and start, but only admins or the creator delete (403)', async () => {
    const owner = await s.signUp('boss');
    const member = await s.signUp('member');
    await s.addMember(owner, owner.teamId, member);
    const p = (await s.call('POST', '/api/projects', { token: owner.token, body: { teamId: owner.teamId, name: 'shared' } })).body;
    assert.equal((await s.call('GET', `/api/projects/${p.id}`, { token: member.token })).status, 200);
    assert.equal((await s.call('POST', `/api/projects/${p.id}/stop`, { token: member.token })).status, 202);
    const del = await s.call('DELETE', `/api/projects/${p.id}`, { token: member.token });
    assert.equal(del.status, 403);
    assert.equal((await s.call('GET', `/api/projects/${p.id}`, { token: owner.token })).body.desiredState, 'STOPPED');
    // Removed from the team: the project is gone from their view.
    assert.equal((await s.call('DELETE', `/api/teams/${owner.teamId}/members/${(await s.call('GET', '/api/me', { token: member.token })).body.user.id}`, { token: owner.token })).status, 200);
    assert.equal((await s.call('GET', `/api/projects/${p.id}`, { token: member.token })).status, 404);
  });

  it('keeps environment variables, with secrets encrypted at rest and never returned', async () => {
    const a = await s.signUp('env');
    const p = (await s.call('POST', '/api/projects', { token: a.token, body: { teamId: a.teamId, name: 'envy' } })).body;
    const put = await s.call('PUT', `/api/projects/${p.id}/env/DATABASE_PASSWORD`, { token: a.token, body: { value: 'sup3r-s3cret-value', secret: true } });
    assert.equal(put.status, 200);
    assert.equal(put.body.value, null);
    await s.call('PUT', `/api/projects/${p.id}/env/NODE_ENV`, { token: a.token, body: { value: 'development' } });
    const list = await s.call('GET', `/api/projects/${p.id}/env`, { token: a.token });
    assert.deepEqual(list.body.items.map((v: { key: string; value: string | null }) => [v.key, v.value]), [['DATABASE_PASSWORD', null], ['NODE_ENV', 'development']]);
    const raw = await s.db.sql`SELECT * FROM project_env WHERE project_id = ${p.id}`;
    assert.ok(!JSON.stringify(raw).includes('sup3r-s3cret'));
    const audit = await s.db.sql`SELECT detail FROM audit_log WHERE target = ${p.id}`;
    assert.ok(!JSON.stringify(audit).includes('sup3r-s3cret'));
    const { projectEnvironment } = await import('./env-handlers');
    assert.deepEqual(await projectEnvironment(s.services, p.id), { DATABASE_PASSWORD: 'sup3r-s3cret-value', NODE_ENV: 'development' });
    assert.equal((await s.call('PUT', `/api/projects/${p.id}/env/1BAD-KEY`, { token: a.token, body: { value: 'x' } })).status, 422);
    assert.equal((await s.call('DELETE', `/api/projects/${p.id}/env/NODE_ENV`, { token: a.token })).status, 200);
    assert.equal((await s.call('DELETE', `/api/projects/${p.id}/env/NODE_ENV`, { token: a.token })).status, 404);
  });
});
