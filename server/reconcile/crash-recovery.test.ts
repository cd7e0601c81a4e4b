import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { requireDocker } from '../testing/docker';
import { installationResources, removeInstallation } from '../testing/docker-cleanup';
import { testDatabase, type TestDatabase } from '../testing/postgres';
import { ensureSandboxImage } from '../testing/sandbox-image';
import { startServerProcess, type ServerProcess } from '../testing/server-process';
import { waitFor } from '../testing/wait-for';
import { installationId } from './sandbox-store';

/**
 * A server killed with SIGKILL at any point of create/start/stop/delete must, once a server runs
 * again, converge: every project in its desired state, no container or volume the database does
 * not know, none missing.
 */
describe('crash recovery (server killed with SIGKILL)', function () {
  this.timeout(10 * 60_000);
  let db: TestDatabase;
  let env: Record<string, string>;
  let server: ServerProcess | undefined;
  let installation: string;
  const config = { reconcile: { intervalMs: 100, observeMs: 500, leaseSeconds: 3, concurrency: 4 }, warmPool: 0, signup: 'open' };

  before(async function () {
    this.timeout(20 * 60_000);
    await requireDocker(this);
    const image = await ensureSandboxImage();
    db = await testDatabase();
    installation = await installationId(db.sql);
    env = { DATABASE_URL: db.url, SLIPWAY_SECRET_KEY: randomBytes(32).toString('base64'), SLIPWAY_RUNTIME: 'docker', SLIPWAY_SANDBOX_IMAGE: image };
  });
  after(async () => {
    await server?.stop();
    if (installation) await removeInstallation(installation);
    await db?.drop();
  });

  const api = async (method: string, path: string, token?: string, body?: unknown) => {
    const res = await fetch(`${server!.url}${path}`, {
      method, headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: res.status, body: await res.json() as any };
  };

  /** Everything converged: statuses match desired states, and the engine holds exactly what the database lists. */
  async function assertConverged(): Promise<void> {
    await waitFor(async () => {
      const stuck = await db.sql`
        SELECT id FROM projects WHERE NOT (
          (desired_state = 'RUNNING' AND status = 'RUNNING') OR (desired_state = 'STOPPED' AND status = 'STOPPED')
          OR (desired_state = 'DELETED' AND status = 'TERMINATED'))`;
      return stuck.length === 0;
    }, { timeoutMs: 90_000, what: 'every project in its desired state' });
    await waitFor(async () => {
      const rows = (await db.sql<{ id: string }[]>`SELECT id FROM sandboxes`).map((r) => r.id).sort();
      const { containers, volumes } = await installationResources(installation);
      return JSON.stringify(containers.sort()) === JSON.stringify(rows) && JSON.stringify(volumes.sort()) === JSON.stringify(rows);
    }, { timeoutMs: 30_000, what: 'no orphan and no missing container or volume' });
    const running = await db.sql<{ n: number }[]>`SELECT count(*)::int AS n FROM projects p JOIN sandboxes s ON s.project_id = p.id WHERE p.status = 'RUNNING'`;
    const projects = await db.sql<{ n: number }[]>`SELECT count(*)::int AS n FROM projects WHERE status = 'RUNNING'`;
    assert.equal(running[0]!.n, projects[0]!.n, 'every running project has its sandbox');
  }

  it('converges after being killed at random moments of create, stop, start and delete', async () => {
    server = await startServerProcess(env, config);
    const signUp = await api('POST', '/api/auth/signup', undefined, { email: 'crash@example.com', password: 'a long password' });
    const token: string = signUp.body.accessToken;
    const teamId: string = (await api('GET', '/api/me', token)).body.teams[0].id;
    const projects: string[] = [];
    const operations: ((token: string) => Promise<unknown>)[] = [
      async (t) => projects.push((await api('POST', '/api/projects', t, { teamId, name: 'crash', template: 'web-app' })).body.id),
      async (t) => projects.push((await api('POST', '/api/projects', t, { teamId, name: 'crash2', template: 'empty' })).body.id),
      async (t) => api('POST', `/api/projects/${projects[0]}/stop`, t),
      async (t) => api('POST', `/api/projects/${projects[0]}/start`, t),
      async (t) => api('DELETE', `/api/projects/${projects[1]}`, t),
    ];
    for (const [index, operation] of operations.entries()) {
      const session = (await api('POST', '/api/auth/signin', undefined, { email: 'crash@example.com', password: 'a long password' })).body.accessToken;
      await operation(session);
      // Kill at a different moment of each operation: right away, mid-way, later.
      await new Promise((r) => setTimeout(r, [0, 150, 400, 800, 1500][index]));
      await server.kill();
      server = await startServerProcess(env, config);
    }
    await assertConverged();
    const states = await db.sql<{ desiredState: string; status: string }[]>`SELECT desired_state, status FROM projects ORDER BY created_at`;
    assert.deepEqual(states.map((s) => s.status), ['RUNNING', 'TERMINATED']);
  });
});
