import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { requireDocker } from '../testing/docker';
import { installationResources, removeInstallation } from '../testing/docker-cleanup';
import { testDatabase, type TestDatabase } from '../testing/postgres';
import { ensureSandboxImage } from '../testing/sandbox-image';
import { startServerProcess, type ServerProcess } from '../testing/server-process';
import { waitFor } from '../testing/wait-for';
import { installationId } from './sandbox-store';

/** Two server processes on one database: leases keep them from ever acting on the same project. */
describe('two server processes sharing a database', function () {
  this.timeout(5 * 60_000);
  let db: TestDatabase;
  let servers: ServerProcess[] = [];
  let installation: string;

  before(async function () {
    this.timeout(20 * 60_000);
    await requireDocker(this);
    const image = await ensureSandboxImage();
    db = await testDatabase();
    installation = await installationId(db.sql);
    const env = { DATABASE_URL: db.url, SLIPWAY_SECRET_KEY: randomBytes(32).toString('base64'), SLIPWAY_RUNTIME: 'docker', SLIPWAY_SANDBOX_IMAGE: image };
    const config = { reconcile: { intervalMs: 100, observeMs: 400, leaseSeconds: 5, concurrency: 4 }, warmPool: 2, signup: 'open' };
    servers = await Promise.all([startServerProcess(env, config), startServerProcess(env, config)]);
  });
  after(async () => {
    await Promise.all(servers.map((s) => s.stop()));
    if (installation) await removeInstallation(installation);
    await db?.drop();
  });

  const api = async (server: ServerProcess, method: string, path: string, token?: string, body?: unknown) => {
    const res = await fetch(`${server.url}${path}`, { method, headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) }, body: body === undefined ? undefined : JSON.stringify(body) });
    return (await res.json()) as any;
  };

  it('gives every project exactly one sandbox, and removes them all on delete', async () => {
    const [a, b] = servers as [ServerProcess, ServerProcess];
    const token: string = (await api(a, 'POST', '/api/auth/signup', undefined, { email: 'two@example.com', password: 'a long password' })).accessToken;
    const teamId: string = (await api(b, 'GET', '/api/me', token)).teams[0].id;
    const ids: string[] = [];
    for (let i = 0; i < 6; i++) ids.push((await api(i % 2 ? a : b, 'POST', '/api/projects', token, { teamId, name: `p${i}`, template: 'empty' })).id);
    await waitFor(async () => (await db.sql`SELECT 1 FROM projects WHERE status <> 'RUNNING'`).length === 0, { timeoutMs: 120_000, what: 'all running' });
    const perProject = await db.sql<{ n: number }[]>`SELECT count(*)::int AS n FROM sandboxes WHERE project_id IS NOT NULL GROUP BY project_id`;
    assert.equal(perProject.length, 6);
    assert.ok(perProject.every((r) => r.n === 1));
    await waitFor(async () => {
      const rows = (await db.sql<{ id: string }[]>`SELECT id FROM sandboxes`).map((r) => r.id).sort();
      const { containers } = await installationResources(installation);
      return JSON.stringify(containers.sort()) === JSON.stringify(rows) && rows.length === 6 + 2;
    }, { timeoutMs: 60_000, what: 'one container per sandbox row, pool at its size (not twice its size)' });

    for (const [i, id] of ids.entries()) await api(i % 2 ? b : a, 'DELETE', `/api/projects/${id}`, token);
    await waitFor(async () => (await db.sql`SELECT 1 FROM projects WHERE status <> 'TERMINATED'`).length === 0, { timeoutMs: 120_000, what: 'all terminated' });
    await waitFor(async () => (await installationResources(installation)).containers.length === 2, { timeoutMs: 30_000, what: 'only the warm pool left' });
  });
});
