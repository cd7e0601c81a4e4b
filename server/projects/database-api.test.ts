import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { claimProjects } from '../reconcile/lease-store';
import { HostRuntime } from '../runtime/host/host-runtime';
import { setDatabaseStatus } from './database-store';
import { startTestServer, type TestServer } from '../testing/test-server';
import { projectEnvironment } from './env-handlers';

/** The database routes without a runtime: what is stored, who may do what, what is never shown. */
describe('project databases (API)', () => {
  let s: TestServer;
  before(async () => { s = await startTestServer(); });
  after(async () => { await s.close(); });

  const create = async (token: string, body: Record<string, unknown>) => {
    const res = await s.call('POST', '/api/projects', { token, body });
    assert.equal(res.status, 201, JSON.stringify(res.body));
    return res.body;
  };
  const passwordOf = async (projectId: string) => (await projectEnvironment(s.services, projectId)).PGPASSWORD;

  it('creates a project with a database (asked for, or by its template); the password is sealed and never listed', async () => {
    const a = await s.signUp('db');
    const templates = (await s.call('GET', '/api/templates', { token: a.token })).body.items;
    assert.equal(templates.find((t: { name: string }) => t.name === 'web-app-postgres')?.database, true);
    assert.equal(templates.find((t: { name: string }) => t.name === 'web-app')?.database, false);

    const asked = await create(a.token, { teamId: a.teamId, name: 'asked', template: 'empty', database: true });
    assert.deepEqual(asked.database, { status: 'CREATING', statusMessage: null });
    const byTemplate = await create(a.token, { teamId: a.teamId, name: 'tmpl', template: 'web-app-postgres', start: false });
    assert.deepEqual(byTemplate.database, { status: 'STOPPED', statusMessage: null });
    const without = await create(a.token, { teamId: a.teamId, name: 'plain', template: 'web-app' });
    assert.equal(without.database, null);
    const declined = await create(a.token, { teamId: a.teamId, name: 'declined', template: 'web-app-postgres', database: false });
    assert.equal(declined.database, null);

    const password = await passwordOf(asked.id);
    assert.match(password!, /^[A-Za-z0-9_-]{32}$/);
    assert.notEqual(password, await passwordOf(byTemplate.id), 'one password per project');
    const [row] = await s.db.sql<{ password: Buffer }[]>`SELECT password FROM project_databases WHERE project_id = ${asked.id}`;
    assert.ok(!row!.password.toString('latin1').includes(password!), 'sealed at rest');

    const listed = await s.call('GET', '/api/projects', { token: a.token });
    const got = await s.call('GET', `/api/projects/${asked.id}/database`, { token: a.token });
    assert.equal(got.status, 200);
    assert.deepEqual({ ...got.body, createdAt: undefined }, {
      engine: 'postgresql', status: 'CREATING', statusMessage: null, version: null, reachable: null,
      host: '127.0.0.1', port: 5432, user: 'app', database: 'app', createdAt: undefined,
    });
    const audit = await s.db.sql`SELECT action, detail FROM audit_log WHERE target = ${asked.id}`;
    for (const shown of [listed.body, got.body, audit]) assert.ok(!JSON.stringify(shown).includes(password!), 'the password is not shown');
    assert.ok(audit.some((r) => r.action === 'database.add'));
  });

  it('hands the connection string only on explicit request, and audits it', async () => {
    const a = await s.signUp('conn');
    const p = await create(a.token, { teamId: a.teamId, name: 'conn', database: true });
    const res = await s.call('GET', `/api/projects/${p.id}/database/connection`, { token: a.token });
    assert.equal(res.status, 200);
    const password = await passwordOf(p.id);
    assert.deepEqual(res.body, { url: `postgres://app:${password}@127.0.0.1:5432/app`, host: '127.0.0.1', port: 5432, user: 'app', password, database: 'app' });
    assert.equal((await s.db.sql`SELECT 1 FROM audit_log WHERE target = ${p.id} AND action = 'database.connection'`).length, 1);
    const none = await create(a.token, { teamId: a.teamId, name: 'none' });
    const missing = await s.call('GET', `/api/projects/${none.id}/database/connection`, { token: a.token });
    assert.equal(missing.status, 404);
    assert.match(missing.body.error.message, /no database/);
  });

  it('puts DATABASE_URL and PG* into the sandbox environment while the database exists, and marks it stale on each change', async () => {
    const a = await s.signUp('env');
    const p = await create(a.token, { teamId: a.teamId, name: 'envdb', start: false });
    await s.call('PUT', `/api/projects/${p.id}/env/PGDATABASE`, { token: a.token, body: { value: 'mine' } });
    const version = async () => (await s.db.sql<{ envVersion: number }[]>`SELECT env_version FROM projects WHERE id = ${p.id}`)[0]!.envVersion;
    assert.deepEqual(await projectEnvironment(s.services, p.id), { PGDATABASE: 'mine' });
    const before = await version();

    const put = await s.call('PUT', `/api/projects/${p.id}/database`, { token: a.token });
    assert.equal(put.status, 202);
    assert.equal(put.body.status, 'STOPPED', 'a stopped project\'s database waits stopped');
    assert.equal(await version(), before + 1);
    const env = await projectEnvironment(s.services, p.id);
    assert.deepEqual(Object.keys(env).sort(), ['DATABASE_URL', 'PGDATABASE', 'PGHOST', 'PGPASSWORD', 'PGPORT', 'PGUSER']);
    assert.equal(env.PGDATABASE, 'mine', 'the project\'s own variable wins');
    assert.equal(env.DATABASE_URL, `postgres://app:${env.PGPASSWORD}@127.0.0.1:5432/app`);
    // Asking again changes nothing: same password, no new version.
    assert.equal((await s.call('PUT', `/api/projects/${p.id}/database`, { token: a.token })).status, 202);
    assert.equal((await projectEnvironment(s.services, p.id)).PGPASSWORD, env.PGPASSWORD);
    assert.equal(await version(), before + 1);

    const removed = await s.call('DELETE', `/api/projects/${p.id}/database`, { token: a.token });
    assert.equal(removed.status, 202);
    assert.equal(removed.body.status, 'TERMINATING');
    assert.deepEqual(await projectEnvironment(s.services, p.id), { PGDATABASE: 'mine' });
    assert.equal(await version(), before + 2);
    assert.equal((await s.call('GET', `/api/projects/${p.id}`, { token: a.token })).body.database.status, 'TERMINATING');
    // Wanted back before the reconciler removed it: the same one (its data opens with the same password).
    const back = await s.call('PUT', `/api/projects/${p.id}/database`, { token: a.token });
    assert.equal(back.body.status, 'STOPPED');
    assert.equal((await projectEnvironment(s.services, p.id)).PGPASSWORD, env.PGPASSWORD);
  });

  it('lets members use the database, but only admins or the project\'s creator remove it', async () => {
    const owner = await s.signUp('owner');
    const member = await s.signUp('member');
    await s.addMember(owner, owner.teamId, member);
    const p = await create(owner.token, { teamId: owner.teamId, name: 'shared', database: true });
    assert.equal((await s.call('GET', `/api/projects/${p.id}/database`, { token: member.token })).status, 200);
    assert.equal((await s.call('GET', `/api/projects/${p.id}/database/connection`, { token: member.token })).status, 200);
    const refused = await s.call('DELETE', `/api/projects/${p.id}/database`, { token: member.token });
    assert.equal(refused.status, 403);
    assert.equal(refused.body.error.code, 'forbidden');
    assert.equal((await s.call('GET', `/api/projects/${p.id}/database`, { token: owner.token })).body.status, 'CREATING');
    const mine = await create(member.token, { teamId: owner.teamId, name: 'theirs', database: true });
    assert.equal((await s.call('DELETE', `/api/projects/${mine.id}/database`, { token: member.token })).status, 202);
  });

  it('says before a delete that the database and its data go with the project', async () => {
    const a = await s.signUp('del');
    const p = await create(a.token, { teamId: a.teamId, name: 'Shop', database: true });
    const preview = await s.call('GET', `/api/projects/${p.id}/deletion`, { token: a.token });
    assert.equal(preview.status, 200);
    assert.equal(preview.body.database, true);
    assert.ok(preview.body.removes.some((r: string) => /PostgreSQL database and ALL ITS DATA/.test(r)));
    assert.match(preview.body.warning, /Deleting "Shop" removes .*PostgreSQL database/);
    const plain = await create(a.token, { teamId: a.teamId, name: 'Plain' });
    const plainPreview = (await s.call('GET', `/api/projects/${plain.id}/deletion`, { token: a.token })).body;
    assert.equal(plainPreview.database, false);
    assert.doesNotMatch(plainPreview.warning, /database/i);
  });

  it('refuses a dump or restore while the sandbox is not running, and bad paths, with clear errors', async () => {
    const a = await s.signUp('dump');
    const p = await create(a.token, { teamId: a.teamId, name: 'dump', database: true, start: false });
    const stopped = await s.call('POST', `/api/projects/${p.id}/database/dump`, { token: a.token, body: {} });
    assert.equal(stopped.status, 409);
    assert.match(stopped.body.error.message, /not running/);
    for (const path of ['../outside.dump', '/etc/passwd', 'a/../../b']) {
      const bad = await s.call('POST', `/api/projects/${p.id}/database/restore`, { token: a.token, body: { path } });
      assert.equal(bad.status, 422, path);
    }
    const none = await create(a.token, { teamId: a.teamId, name: 'none', start: false });
    assert.equal((await s.call('POST', `/api/projects/${none.id}/database/dump`, { token: a.token, body: {} })).status, 404);
  });

  it('takes the database\'s status only from the worker holding the project\'s lease', async () => {
    const a = await s.signUp('lease');
    const p = await create(a.token, { teamId: a.teamId, name: 'leased', database: true });
    assert.equal((await claimProjects(s.db.sql, 'worker-a', 30, 1, [p.id])).length, 1);
    assert.equal(await setDatabaseStatus(s.db.sql, p.id, { status: 'RUNNING' }, 'worker-b'), false, 'a worker without the lease');
    assert.equal((await s.call('GET', `/api/projects/${p.id}`, { token: a.token })).body.database.status, 'CREATING');
    assert.equal(await setDatabaseStatus(s.db.sql, p.id, { status: 'RUNNING', version: '15.2' }, 'worker-a'), true);
    assert.deepEqual((await s.call('GET', `/api/projects/${p.id}`, { token: a.token })).body.database, { status: 'RUNNING', statusMessage: null });
  });

  it('refuses a database at once on a server whose runtime cannot isolate one (host)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'slipway-host-db-'));
    const host = await startTestServer({ sandboxImage: 'host', warmPool: 0 }, { runtime: new HostRuntime(dir) });
    try {
      const a = await host.signUp('host');
      const refused = await host.call('POST', '/api/projects', { token: a.token, body: { teamId: a.teamId, name: 'h', database: true, start: false } });
      assert.equal(refused.status, 409);
      assert.match(refused.body.error.message, /host processes, which cannot have a database/);
      assert.equal((await host.call('GET', '/api/projects', { token: a.token })).body.items.length, 0, 'no project half-made');
      const plain = await host.call('POST', '/api/projects', { token: a.token, body: { teamId: a.teamId, name: 'p', start: false } });
      assert.equal((await host.call('PUT', `/api/projects/${plain.body.id}/database`, { token: a.token })).status, 409);
    } finally {
      await host.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
