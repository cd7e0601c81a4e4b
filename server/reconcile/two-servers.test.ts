import assert from 'node:assert/strict';
import { installationResources } from '../testing/docker-cleanup';
import { callApi, dockerProcessFixture, type ProcessFixture } from '../testing/process-fixture';
import { startServerProcess, type ServerProcess } from '../testing/server-process';
import { waitFor } from '../testing/wait-for';

/** Two server processes on one database: leases keep them from ever acting on the same project. */
describe('two server processes sharing a database', function () {
  this.timeout(5 * 60_000);
  let f: ProcessFixture;
  let servers: ServerProcess[] = [];

  before(async function () {
    this.timeout(20 * 60_000);
    f = await dockerProcessFixture(this);
    const config = { reconcile: { intervalMs: 100, observeMs: 400, leaseSeconds: 5, concurrency: 4 }, warmPool: 2, signup: 'open' };
    servers = await Promise.all([startServerProcess(f.env, config), startServerProcess(f.env, config)]);
  });
  after(async () => {
    await Promise.all(servers.map((s) => s.stop()));
    await f?.drop();
  });

  const api = async (server: ServerProcess, method: string, path: string, token?: string, body?: unknown) => (await callApi(server.url, method, path, token, body)).body;

  it('gives every project exactly one sandbox, and removes them all on delete', async () => {
    const [a, b] = servers as [ServerProcess, ServerProcess];
    const token: string = (await api(a, 'POST', '/api/auth/signup', undefined, { email: 'two@example.com', password: 'a long password' })).accessToken;
    const teamId: string = (await api(b, 'GET', '/api/me', token)).teams[0].id;
    const ids: string[] = [];
    for (let i = 0; i < 6; i++) ids.push((await api(i % 2 ? a : b, 'POST', '/api/projects', token, { teamId, name: `p${i}`, template: 'empty' })).id);
    await waitFor(async () => (await f.db.sql`SELECT 1 FROM projects WHERE status <> 'RUNNING'`).length === 0, { timeoutMs: 120_000, what: 'all running' });
    const perProject = await f.db.sql<{ n: number }[]>`SELECT count(*)::int AS n FROM sandboxes WHERE project_id IS NOT NULL GROUP BY project_id`;
    assert.equal(perProject.length, 6);
    assert.ok(perProject.every((r) => r.n === 1));
    await waitFor(async () => {
      const rows = (await f.db.sql<{ id: string }[]>`SELECT id FROM sandboxes`).map((r) => r.id).sort();
      const { containers } = await installationResources(f.installation);
      return JSON.stringify(containers.sort()) === JSON.stringify(rows) && rows.length === 6 + 2;
    }, { timeoutMs: 60_000, what: 'one container per sandbox row, pool at its size (not twice its size)' });

    for (const [i, id] of ids.entries()) await api(i % 2 ? b : a, 'DELETE', `/api/projects/${id}`, token);
    await waitFor(async () => (await f.db.sql`SELECT 1 FROM projects WHERE status <> 'TERMINATED'`).length === 0, { timeoutMs: 120_000, what: 'all terminated' });
    await waitFor(async () => (await installationResources(f.installation)).containers.length === 2, { timeoutMs: 30_000, what: 'only the warm pool left' });
  });
});
