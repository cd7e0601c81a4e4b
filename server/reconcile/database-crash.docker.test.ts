import assert from 'node:assert/strict';
import Docker from 'dockerode';
import { LABEL } from '../runtime/docker/container-spec';
import { isDatabase } from '../runtime/docker/database-container';
import { ensureDatabaseImage } from '../testing/database-image';
import { callApi, dockerProcessFixture, type ProcessFixture } from '../testing/process-fixture';
import { startServerProcess, type ServerProcess } from '../testing/server-process';
import { waitFor } from '../testing/wait-for';

/**
 * The server killed with SIGKILL while projects' databases are being created, added and removed:
 * once a server runs again, every project and database reaches its desired state, and the engine
 * holds exactly the containers and volumes the database lists, no more.
 */
describe('crash recovery with project databases (server killed with SIGKILL)', function () {
  this.timeout(10 * 60_000);
  const docker = new Docker();
  let f: ProcessFixture;
  let server: ServerProcess | undefined;
  const config = { reconcile: { intervalMs: 100, observeMs: 500, leaseSeconds: 3, concurrency: 4 }, warmPool: 0, signup: 'open' };

  before(async function () {
    this.timeout(20 * 60_000);
    f = await dockerProcessFixture(this);
    f.env.SLIPWAY_DATABASE_IMAGE = await ensureDatabaseImage();
  });
  after(async function () {
    this.timeout(120_000);
    await server?.stop();
    await f?.drop();
  });

  const api = (method: string, path: string, token?: string, body?: unknown) => callApi(server!.url, method, path, token, body);

  /** Per sandbox id: which containers (sandbox, database) and volume kinds the engine holds. */
  async function holdings(): Promise<Record<string, string[]>> {
    const filters = JSON.stringify({ label: [`${LABEL.installation}=${f.installation}`] });
    const held: Record<string, string[]> = {};
    const add = (id: string | undefined, what: string) => (held[id ?? '?'] ??= []).push(what);
    for (const c of await docker.listContainers({ all: true, filters })) add(c.Labels[LABEL.sandbox], isDatabase(c.Labels) ? 'database' : 'sandbox');
    for (const v of (await docker.listVolumes({ filters })).Volumes ?? []) add(v.Labels?.[LABEL.sandbox], v.Name.startsWith('slipway-db-') ? 'database volume' : 'volume');
    return Object.fromEntries(Object.keys(held).sort().map((id) => [id, [...new Set(held[id])].sort()]));
  }

  /** What the database says should exist: each sandbox, with a database where its project wants one. */
  async function expected(): Promise<Record<string, string[]>> {
    const rows = await f.db.sql<{ id: string; database: boolean }[]>`
      SELECT s.id, EXISTS (SELECT 1 FROM project_databases d WHERE d.project_id = s.project_id AND d.desired = 'PRESENT') AS database
      FROM sandboxes s`;
    const wants = new Set(rows.filter((r) => r.database).map((r) => r.id));
    return Object.fromEntries(rows.map((r) => r.id).sort().map((id) => [id, wants.has(id) ? ['database', 'database volume', 'sandbox', 'volume'] : ['sandbox', 'volume']]));
  }

  it('converges after being killed while databases are created, added and removed', async () => {
    server = await startServerProcess(f.env, config);
    await api('POST', '/api/auth/signup', undefined, { email: 'dbcrash@example.com', password: 'a long password' });
    const session = async () => (await api('POST', '/api/auth/signin', undefined, { email: 'dbcrash@example.com', password: 'a long password' })).body.accessToken as string;
    const teamId: string = (await api('GET', '/api/me', await session())).body.teams[0].id;
    const ids: string[] = [];
    const operations: ((token: string) => Promise<unknown>)[] = [
      async (t) => ids.push((await api('POST', '/api/projects', t, { teamId, name: 'db1', template: 'empty', database: true })).body.id),
      async (t) => ids.push((await api('POST', '/api/projects', t, { teamId, name: 'db2', template: 'web-app-postgres' })).body.id),
      async (t) => ids.push((await api('POST', '/api/projects', t, { teamId, name: 'plain', template: 'empty' })).body.id),
      async (t) => api('PUT', `/api/projects/${ids[2]}/database`, t),
      async (t) => api('DELETE', `/api/projects/${ids[1]}/database`, t),
    ];
    for (const [index, operation] of operations.entries()) {
      await operation(await session());
      // Killed at a different moment of each: at once, during the container's start, during initdb, later.
      await new Promise((r) => setTimeout(r, [0, 600, 1500, 400, 900][index]));
      await server.kill();
      server = await startServerProcess(f.env, config);
    }

    await waitFor(async () => {
      const stuck = await f.db.sql`
        SELECT p.id FROM projects p LEFT JOIN project_databases d ON d.project_id = p.id
        WHERE p.status <> 'RUNNING' OR (d.project_id IS NOT NULL AND (d.desired <> 'PRESENT' OR d.status <> 'RUNNING'))`;
      return stuck.length === 0;
    }, { timeoutMs: 180_000, what: 'every project and database RUNNING, none left to remove' });
    const token = await session();
    const wants = await Promise.all(ids.map(async (id) => (await api('GET', `/api/projects/${id}/database`, token)).body));
    assert.deepEqual(wants.map((d) => d.reachable ?? d.error?.code), [true, 'not_found', true], 'db1 and plain (added) reach theirs; db2 removed its');
    await waitFor(async () => JSON.stringify(await holdings()) === JSON.stringify(await expected()), { timeoutMs: 60_000, what: 'the engine to hold exactly what the database lists' })
      .catch(async () => assert.deepEqual(await holdings(), await expected(), 'the engine holds exactly what the database lists'));

    for (const id of ids) await api('DELETE', `/api/projects/${id}`, token);
    await waitFor(async () => (await f.db.sql`SELECT 1 FROM projects WHERE status <> 'TERMINATED'`).length === 0, { timeoutMs: 90_000, what: 'every project TERMINATED' });
    await waitFor(async () => Object.keys(await holdings()).length === 0, { timeoutMs: 30_000, what: 'no container or volume left' });
    assert.equal((await f.db.sql`SELECT 1 FROM project_databases`).length, 0);
  });
});
