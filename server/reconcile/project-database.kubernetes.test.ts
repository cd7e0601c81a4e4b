import assert from 'node:assert/strict';
import type { DaemonClient } from '../daemon-client';
import type { KubeClient } from '../runtime/kubernetes/kube-client';
import type { KubernetesRuntime } from '../runtime/kubernetes/kubernetes-runtime';
import { ensureDatabaseImage } from '../testing/database-image';
import { requireImageInCluster, requireKubernetes, stopKubernetesServer, testKubernetesRuntime } from '../testing/kubernetes';
import { ensureSandboxImage } from '../testing/sandbox-image';
import { waitFor } from '../testing/wait-for';
import { lifecycleHarness, type LifecycleHarness } from './lifecycle.suite';

/**
 * A project's database driven by the real reconciler on the Kubernetes test cluster, through the
 * API: rows written through DATABASE_URL survive stop/start (a new pod), the database can be turned
 * off (its variables leave the sandbox) and the project deleted.
 */
describe('project databases on Kubernetes (reconciler)', function () {
  this.timeout(300_000);
  let kube: KubeClient;
  let runtime: KubernetesRuntime;
  let h: LifecycleHarness;

  before(async function () {
    this.timeout(20 * 60_000);
    kube = await requireKubernetes(this);
    const [image, databaseImage] = await Promise.all([ensureSandboxImage(), ensureDatabaseImage()]);
    await requireImageInCluster(kube, image);
    await requireImageInCluster(kube, databaseImage);
    ({ runtime } = await testKubernetesRuntime());
    h = await lifecycleHarness(runtime, { sandboxImage: image, databaseImage, sandboxLimits: { cpus: 1, memoryMb: 512, pids: 256 } });
  });
  after(async function () {
    this.timeout(120_000);
    if (!h) return;
    await stopKubernetesServer(kube, h.s, runtime);
  });

  const api = (method: string, path: string) => h.s.call(method, path, { token: h.user.token });
  const psql = async (daemon: DaemonClient, query: string) => {
    const run = await daemon.call('exec.run', { command: ['psql', '-XAtq', '-v', 'ON_ERROR_STOP=1', '-c', query], timeoutMs: 20_000 });
    if (run.exitCode !== 0) throw new Error(`psql failed (${run.exitCode}): ${run.stderr}`);
    return run.stdout.trim();
  };

  it('runs it beside the sandbox, keeps its rows across stop/start, turns it off, and deletes it with the project', async () => {
    const project = await h.create({ template: 'empty', database: true });
    const running = await h.waitStatus(project.id, 'RUNNING', 240_000);
    assert.deepEqual(running.database, { status: 'RUNNING', statusMessage: null });
    await psql(await h.daemonOf(project.id), "CREATE TABLE kept (s text); INSERT INTO kept VALUES ('on kubernetes')");
    assert.equal((await api('GET', `/api/projects/${project.id}/database`)).body.reachable, true);

    await api('POST', `/api/projects/${project.id}/stop`);
    assert.equal((await h.waitStatus(project.id, 'STOPPED', 120_000)).database?.status, 'STOPPED');
    await api('POST', `/api/projects/${project.id}/start`);
    await h.waitStatus(project.id, 'RUNNING', 240_000);
    assert.equal(await psql(await h.daemonOf(project.id), 'SELECT s FROM kept'), 'on kubernetes');

    await api('DELETE', `/api/projects/${project.id}/database`);
    await waitFor(async () => {
      const now = (await api('GET', `/api/projects/${project.id}`)).body;
      return now.database === null && now.status === 'RUNNING';
    }, { what: 'the database gone and the sandbox running again', timeoutMs: 240_000, intervalMs: 500 });
    const env = await (await h.daemonOf(project.id)).call('exec.run', { command: 'echo "${DATABASE_URL:-none}"' });
    assert.equal(env.stdout.trim(), 'none');

    await api('DELETE', `/api/projects/${project.id}`);
    await waitFor(async () => (await h.s.db.sql`SELECT status FROM projects WHERE id = ${project.id}`)[0]!.status === 'TERMINATED', { what: 'TERMINATED', timeoutMs: 120_000 });
  });
});
