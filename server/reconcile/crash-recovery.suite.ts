import assert from 'node:assert/strict';
import { callApi, type ProcessFixture } from '../testing/process-fixture';
import { startServerProcess, type ServerProcess } from '../testing/server-process';
import { waitFor } from '../testing/wait-for';

/** What the runtime holds for an installation, as sandbox ids per kind of object (containers, volumes; pods, claims…). */
export type Holdings = (installation: string) => Promise<Record<string, string[]>>;

/**
 * A server killed with SIGKILL at any point of create/start/stop/delete must, once a server runs
 * again, converge: every project in its desired state, no object the database does not know, none
 * missing. For every runtime, given its process fixture and what it holds.
 */
export function crashRecoverySuite(fixture: (context: Mocha.Context) => Promise<ProcessFixture>, holdings: Holdings): void {
  let f: ProcessFixture;
  let server: ServerProcess | undefined;
  const config = { reconcile: { intervalMs: 100, observeMs: 500, leaseSeconds: 3, concurrency: 4 }, warmPool: 0, signup: 'open' };

  before(async function () {
    this.timeout(20 * 60_000);
    f = await fixture(this);
  });
  after(async function () {
    this.timeout(120_000);
    await server?.stop();
    await f?.drop();
  });

  const api = (method: string, path: string, token?: string, body?: unknown) => callApi(server!.url, method, path, token, body);

  /** Everything converged: statuses match desired states, and the engine holds exactly what the database lists. */
  async function assertConverged(): Promise<void> {
    await waitFor(async () => {
      const stuck = await f.db.sql`
        SELECT id FROM projects WHERE NOT (
          (desired_state = 'RUNNING' AND status = 'RUNNING') OR (desired_state = 'STOPPED' AND status = 'STOPPED')
          OR (desired_state = 'DELETED' AND status = 'TERMINATED'))`;
      return stuck.length === 0;
    }, { timeoutMs: 90_000, what: 'every project in its desired state' });
    await waitFor(async () => {
      const rows = (await f.db.sql<{ id: string }[]>`SELECT id FROM sandboxes`).map((r) => r.id).sort();
      const held = await holdings(f.installation);
      return Object.values(held).every((ids) => JSON.stringify([...ids].sort()) === JSON.stringify(rows));
    }, { timeoutMs: 60_000, what: 'no orphan and no missing object' });
    const running = await f.db.sql<{ n: number }[]>`SELECT count(*)::int AS n FROM projects p JOIN sandboxes s ON s.project_id = p.id WHERE p.status = 'RUNNING'`;
    const projects = await f.db.sql<{ n: number }[]>`SELECT count(*)::int AS n FROM projects WHERE status = 'RUNNING'`;
    assert.equal(running[0]!.n, projects[0]!.n, 'every running project has its sandbox');
  }

  it('converges after being killed at random moments of create, stop, start and delete', async () => {
    server = await startServerProcess(f.env, config);
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
      server = await startServerProcess(f.env, config);
    }
    await assertConverged();
    const states = await f.db.sql<{ desiredState: string; status: string }[]>`SELECT desired_state, status FROM projects ORDER BY created_at`;
    assert.deepEqual(states.map((s) => s.status), ['RUNNING', 'TERMINATED']);
  });
}
