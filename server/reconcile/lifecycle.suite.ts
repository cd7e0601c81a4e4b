import assert from 'node:assert/strict';
import Docker from 'dockerode';
import type { Project } from '../../protocol/rest/projects';
import type { ConfigInput } from '../config';
import { DockerRuntime } from '../runtime/docker/docker-runtime';
import type { Runtime } from '../runtime/runtime';
import { requireDocker } from '../testing/docker';
import { removeInstallation } from '../testing/docker-cleanup';
import { ensureSandboxImage } from '../testing/sandbox-image';
import { startTestServer, type TestServer } from '../testing/test-server';
import { waitFor } from '../testing/wait-for';
import { sandboxOfProject } from './sandbox-store';

export const FAST_RECONCILE: ConfigInput = {
  reconcile: { intervalMs: 100, observeMs: 300, leaseSeconds: 10, concurrency: 4 },
  warmPool: 0,
};

export interface LifecycleHarness {
  s: TestServer;
  user: Awaited<ReturnType<TestServer['signUp']>>;
  create(body?: Record<string, unknown>): Promise<Project>;
  waitStatus(id: string, status: string, timeoutMs?: number): Promise<Project>;
  daemonOf(projectId: string): Promise<ReturnType<TestServer['services']['daemons']['get']>>;
}

export async function lifecycleHarness(runtime: Runtime, overrides: ConfigInput = {}): Promise<LifecycleHarness> {
  const s = await startTestServer({ ...FAST_RECONCILE, ...overrides }, { runtime });
  const user = await s.signUp('builder');
  const harness: LifecycleHarness = {
    s, user,
    async create(body = {}) {
      const res = await s.call('POST', '/api/projects', { token: user.token, body: { teamId: user.teamId, name: 'app', template: 'web-app', ...body } });
      assert.equal(res.status, 201, JSON.stringify(res.body));
      return res.body;
    },
    async waitStatus(id, status, timeoutMs = 60_000) {
      // The statuses seen on the way, in order, so a timeout says where the project went instead.
      const seen: string[] = [];
      return waitFor(async () => {
        const last = (await s.call('GET', `/api/projects/${id}`, { token: user.token })).body as Project | undefined;
        const now = `${last?.status}${last?.statusMessage ? ` (${last.statusMessage})` : ''}`;
        if (seen.at(-1) !== now) seen.push(now);
        if (last?.status === 'ERROR' && status !== 'ERROR') throw new Error(`project failed: ${last.statusMessage}`);
        return last?.status === status ? last : undefined;
      }, { timeoutMs, what: () => `status ${status}; seen: ${seen.join(' → ')}` });
    },
    async daemonOf(projectId) {
      const sandbox = await sandboxOfProject(s.db.sql, projectId);
      assert.ok(sandbox?.address, 'the project has a sandbox with an address');
      return s.services.daemons.get(sandbox.id, sandbox.address);
    },
  };
  return harness;
}

/** The behaviour every runtime must show, driven through the API as users drive it. */
export function lifecycleSuite(getHarness: () => LifecycleHarness): void {
  it('creates a running sandbox with the template seeded, as the non-root user', async () => {
    const h = getHarness();
    const project = await h.create();
    const running = await h.waitStatus(project.id, 'RUNNING');
    assert.equal(running.statusMessage, null);
    const daemon = await h.daemonOf(project.id);
    assert.match(await daemon.readText('server.js'), /createServer/);
    assert.match(await daemon.readText('public/index.html'), /Web app/);
  });

  it('keeps the workspace across stop and start', async () => {
    const h = getHarness();
    const project = await h.create({ template: 'empty' });
    await h.waitStatus(project.id, 'RUNNING');
    await (await h.daemonOf(project.id)).writeFile('notes/kept.txt', 'still here', { createParents: true });
    await h.s.call('POST', `/api/projects/${project.id}/stop`, { token: h.user.token });
    await h.waitStatus(project.id, 'STOPPED');
    const stopped = await h.s.runtime!.inspect((await sandboxOfProject(h.s.db.sql, project.id))!.id);
    assert.notEqual(stopped.state, 'running');
    await h.s.call('POST', `/api/projects/${project.id}/start`, { token: h.user.token });
    await h.waitStatus(project.id, 'RUNNING');
    assert.equal(await (await h.daemonOf(project.id)).readText('notes/kept.txt'), 'still here');
  });

  it('passes environment variables, including secrets and later changes, to new processes', async () => {
    const h = getHarness();
    const project = await h.create({ template: 'empty' });
    await h.s.call('PUT', `/api/projects/${project.id}/env/GREETING`, { token: h.user.token, body: { value: 'hello' } });
    await h.s.call('PUT', `/api/projects/${project.id}/env/API_SECRET`, { token: h.user.token, body: { value: 's3cr3t', secret: true } });
    await h.waitStatus(project.id, 'RUNNING');
    const printenv = async () => (await (await h.daemonOf(project.id)).call('exec.run', { command: 'echo "$GREETING/$API_SECRET/${SLIPWAY_DAEMON_TOKEN:-none}"' })).stdout.trim();
    await waitFor(async () => (await printenv()) === 'hello/s3cr3t/none', { what: 'variables in the sandbox' });
    await h.s.call('PUT', `/api/projects/${project.id}/env/GREETING`, { token: h.user.token, body: { value: 'changed' } });
    await waitFor(async () => (await printenv()) === 'changed/s3cr3t/none', { what: 'the changed variable', timeoutMs: 15_000 });
  });

  it('removes everything on delete', async () => {
    const h = getHarness();
    const project = await h.create({ template: 'empty' });
    await h.waitStatus(project.id, 'RUNNING');
    const sandbox = (await sandboxOfProject(h.s.db.sql, project.id))!;
    await h.s.call('DELETE', `/api/projects/${project.id}`, { token: h.user.token });
    await waitFor(async () => (await h.s.db.sql`SELECT status FROM projects WHERE id = ${project.id}`)[0]!.status === 'TERMINATED', { what: 'TERMINATED' });
    assert.equal((await h.s.runtime!.inspect(sandbox.id)).state, 'missing');
    const { workspaces } = await h.s.runtime!.list(h.s.reconciler!.ctx.installation);
    assert.ok(!workspaces.includes(sandbox.id), 'the workspace is gone too');
    assert.equal((await h.s.call('GET', `/api/projects/${project.id}`, { token: h.user.token })).status, 404);
  });

  it('restarts a sandbox that died, and says so', async () => {
    const h = getHarness();
    const project = await h.create({ template: 'empty' });
    await h.waitStatus(project.id, 'RUNNING');
    const daemon = await h.daemonOf(project.id);
    await daemon.writeFile('before-crash.txt', 'x');
    // The daemon process dies (as on a crash or an OOM kill).
    const { pid } = await daemon.health();
    await daemon.call('exec.run', { command: ['kill', '-9', String(pid)] }, { timeoutMs: 3000 }).catch(() => {});
    await waitFor(async () => {
      const p = (await h.s.call('GET', `/api/projects/${project.id}`, { token: h.user.token })).body;
      return p.status !== 'RUNNING' || /restarting/.test(p.statusMessage ?? '');
    }, { what: 'the crash to be noticed', timeoutMs: 20_000 });
    const healed = await h.waitStatus(project.id, 'RUNNING');
    assert.equal(healed.desiredState, 'RUNNING');
    assert.equal(await (await h.daemonOf(project.id)).readText('before-crash.txt'), 'x');
  });

  it('removes orphans: sandboxes the database does not know', async () => {
    const h = getHarness();
    const runtime = h.s.runtime!;
    const installation = h.s.reconciler!.ctx.installation;
    const orphanId = '00000000-0000-4000-8000-' + Date.now().toString().padStart(12, '0').slice(-12);
    // The observer may remove the orphan while it is still being started: that race is the point.
    await runtime.start({ id: orphanId, image: h.s.services.config.sandboxImage, token: 'x'.repeat(32), limits: h.s.services.config.sandboxLimits, labels: { installation } })
      .catch((error: Error) => {
        if (!/marked for removal|No such container|ENOENT|409|404|removed while starting|is gone/.test(String(error.message))) throw error;
      });
    await waitFor(async () => (await runtime.inspect(orphanId)).state === 'missing', { what: 'orphan removal', timeoutMs: 20_000 });
  });
}

/**
 * In the calling `describe`: a lifecycle harness on the real Docker engine with the sandbox image
 * built (`overrides` get its tag), and everything of its installation removed from the engine after.
 * Read `harness.h` inside tests.
 */
export function onDocker(overrides: (image: string) => ConfigInput = () => ({})): { h: LifecycleHarness; docker: Docker } {
  const harness = { docker: new Docker() } as { h: LifecycleHarness; docker: Docker };
  before(async function () {
    this.timeout(20 * 60_000);
    await requireDocker(this);
    const image = await ensureSandboxImage();
    harness.h = await lifecycleHarness(new DockerRuntime(harness.docker), { sandboxImage: image, ...overrides(image) });
  });
  after(async () => {
    if (!harness.h) return;
    const installation = harness.h.s.reconciler!.ctx.installation;
    await harness.h.s.close();
    await removeInstallation(installation, harness.docker); // leave nothing behind on the engine
  });
  return harness;
}
