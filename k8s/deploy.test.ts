// The server deployed into a real cluster from k8s/ (KUBECONFIG; skipped without one unless
// SLIPWAY_REQUIRE_KUBERNETES): images built offline and imported, applied through an overlay of the
// test's own (namespace and name suffix, tags, imagePullPolicy Never), reached from the host through the
// Service's ClusterIP. With the Kubernetes runtime in this tree, projects run as pods, one per project,
// with two replicas sharing the work and one of them killed.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { existsSync, rmSync } from 'node:fs';
import postgres from 'postgres';
import { resourcePath } from '../server/resources';
import { ensureSandboxImage } from '../server/testing/sandbox-image';
import { waitFor } from '../server/testing/wait-for';
import { ensureImagesInCluster, kubectl, kubectlJson, requireKubectlCluster } from './testing/kubectl';
import { ensureK8sImages, writeTestOverlay, type TestInstall } from './testing/overlay';

const LABEL = { project: 'dev.slipway.project', team: 'dev.slipway.team' };
const hasRuntime = existsSync(resourcePath('server', 'runtime', 'kubernetes', 'kubernetes-runtime.ts'));

type Pod = { metadata: { name: string; namespace: string; deletionTimestamp?: string; labels?: Record<string, string> }; status?: { phase?: string; conditions?: { type: string; status: string }[] } };
const ready = (pod: Pod) => !pod.metadata.deletionTimestamp && pod.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True');

describe('k8s/ deployed into the cluster', function () {
  this.timeout(300_000);
  let install: TestInstall | undefined;
  let base = '';
  let token = '';
  let teamId = '';
  const projects: string[] = [];
  let database: postgres.Sql | undefined;
  /** Project id -> the server pods seen holding its reconcile lease (sampled from the database). */
  const leaseHolders = new Map<string, Set<string>>();
  let sampling: NodeJS.Timeout | undefined;

  const api = async (method: string, path: string, body?: unknown, raw?: string): Promise<{ status: number; body: any }> => {
    const headers: Record<string, string> = token ? { authorization: `Bearer ${token}` } : {};
    if (body !== undefined) headers['content-type'] = 'application/json';
    const res = await fetch(`${base}${path}`, { method, headers, body: raw ?? (body === undefined ? undefined : JSON.stringify(body)), signal: AbortSignal.timeout(20_000) });
    const text = await res.text();
    let parsed: unknown = text;
    try { parsed = JSON.parse(text); } catch { /* bytes */ }
    return { status: res.status, body: parsed };
  };
  /** Through the Service while a replica may be going away: a refused or reset connection is retried. */
  const apiRetrying = (method: string, path: string, body?: unknown, raw?: string) =>
    waitFor(() => api(method, path, body, raw).catch(() => undefined), { timeoutMs: 60_000, intervalMs: 500, what: `${method} ${path}` });
  const serverPods = async () => (await kubectlJson<{ items: Pod[] }>(['get', 'pods', '-n', install!.namespace, '-l', 'app.kubernetes.io/name=slipway-server'])).items;
  const projectPods = async (projectId: string) =>
    (await kubectlJson<{ items: Pod[] }>(['get', 'pods', '--all-namespaces', '-l', `${LABEL.project}=${projectId}`])).items.filter((p) => !p.metadata.deletionTimestamp);
  const waitStatus = (projectId: string, status: string, timeoutMs = 180_000) =>
    waitFor(async () => {
      const { body } = await apiRetrying('GET', `/api/projects/${projectId}`);
      if (body.status === 'ERROR') throw new Error(`project ${projectId} is in ERROR: ${body.statusMessage}`);
      return body.status === status;
    }, { timeoutMs, intervalMs: 500, what: `project ${projectId} ${status}` });
  const createProject = async (name: string) => {
    const res = await apiRetrying('POST', '/api/projects', { teamId, name, template: 'empty' });
    assert.equal(res.status, 201, JSON.stringify(res.body));
    projects.push(res.body.id);
    return res.body.id as string;
  };

  before(async function () {
    await requireKubectlCluster(this);
    this.timeout(30 * 60_000);
    const [images, sandbox] = await Promise.all([ensureK8sImages(), hasRuntime ? ensureSandboxImage() : undefined]);
    await ensureImagesInCluster([images.server, images.postgres, ...(sandbox ? [sandbox] : [])]);
    install = writeTestOverlay({
      id: `d${randomBytes(3).toString('hex')}`,
      images,
      secretKey: randomBytes(32).toString('base64'),
      postgresPassword: randomBytes(18).toString('hex'),
      settings: {
        SLIPWAY_PUBLIC_URL: 'http://slipway.test',
        SLIPWAY_PREVIEW_DOMAIN: 'preview.slipway.test',
        SLIPWAY_WARM_POOL: '0',
        ...(sandbox
          ? { SLIPWAY_SANDBOX_IMAGE: sandbox }
          // Before the Kubernetes runtime exists the server still starts (no project tests then).
          : { SLIPWAY_RUNTIME: 'host', SLIPWAY_ALLOW_HOST_RUNTIME: 'true' }),
      },
    });
    await kubectl(['apply', '-k', install.dir]);
    const { namespace, names } = install;
    await kubectl(['rollout', 'status', '-n', namespace, `statefulset/${names.postgres}`, '--timeout=180s'], { timeoutMs: 200_000 });
    await kubectl(['rollout', 'status', '-n', namespace, `deployment/${names.server}`, '--timeout=240s'], { timeoutMs: 260_000 })
      .catch(async (error: Error) => {
        const logs = await kubectl(['logs', '-n', namespace, '-l', 'app.kubernetes.io/name=slipway-server', '--tail=30', '--all-containers']).catch((e: Error) => e.message);
        throw new Error(`${error.message}\nserver logs:\n${logs}`);
      });
    const clusterIp = async (service: string) => (await kubectlJson<{ spec: { clusterIP: string } }>(['get', 'service', '-n', namespace, service])).spec.clusterIP;
    base = `http://${await clusterIp(names.server)}:80`;
    // Who holds which project's lease (locked_by is `<hostname = pod name>:<pid>:<random>`), sampled
    // through PostgreSQL's ClusterIP while the tests run.
    database = postgres(`postgres://slipway:${install.postgresPassword}@${await clusterIp(names.postgres)}:5432/slipway`, { max: 1, onnotice: () => {} });
    let busy = false;
    sampling = setInterval(() => {
      if (busy) return;
      busy = true;
      database!<{ id: string; locked_by: string }[]>`SELECT id, locked_by FROM projects WHERE locked_by IS NOT NULL AND locked_until > now()`
        .then((rows) => { for (const row of rows) leaseHolders.set(row.id, (leaseHolders.get(row.id) ?? new Set()).add(row.locked_by.split(':')[0]!)); }, () => {})
        .finally(() => { busy = false; });
    }, 25);
  });

  after(async function () {
    this.timeout(300_000);
    clearInterval(sampling);
    await database?.end({ timeout: 5 });
    if (!install) return;
    // Projects first, through the API, so the runtime removes their pods and claims; then whatever is left.
    await Promise.all(projects.map((id) => api('DELETE', `/api/projects/${id}`).catch(() => undefined)));
    await Promise.all(projects.map((id) => waitStatus(id, 'TERMINATED', 90_000).catch(() => undefined)));
    if (teamId) await kubectl(['delete', 'namespace', '-l', `${LABEL.team}=${teamId}`, '--ignore-not-found', '--wait=false']).catch(() => {});
    await kubectl(['delete', '-k', install.dir, '--ignore-not-found', '--wait=false']).catch(() => {});
    await kubectl(['delete', 'namespace', install.namespace, '--ignore-not-found', '--timeout=180s'], { timeoutMs: 200_000 }).catch(() => {});
    rmSync(install.dir, { recursive: true, force: true });
  });

  it('runs two Ready server replicas, non-root with a read-only root file system, as applied', async function () {
    const pods = (await serverPods()).filter(ready);
    assert.equal(pods.length, 2, pods.map((p) => p.metadata.name).join(' '));
    const pod = await kubectlJson<{ spec: any }>(['get', 'pod', '-n', install!.namespace, pods[0]!.metadata.name]);
    const container = pod.spec.containers[0];
    assert.equal(pod.spec.securityContext.runAsNonRoot, true);
    assert.equal(container.securityContext.readOnlyRootFilesystem, true);
    assert.deepEqual(container.securityContext.capabilities.drop, ['ALL']);
    const uid = (await kubectl(['exec', '-n', install!.namespace, pods[0]!.metadata.name, '--', 'node', '-p', 'process.getuid()'])).trim();
    assert.equal(uid, '1000');
  });

  it('answers through the Service ClusterIP: health, readiness (the database answers), the API', async function () {
    assert.deepEqual((await api('GET', '/healthz')).body, { ok: true });
    assert.deepEqual((await api('GET', '/readyz')).body, { ok: true });
    const me = await api('GET', '/api/me');
    assert.equal(me.status, 401);
  });

  it('signs the administrator in with a token from `kubectl exec … node dist/server.js sign-in-link`', async function () {
    const out = await kubectl(['exec', '-n', install!.namespace, `deploy/${install!.names.server}`, '--', 'node', 'dist/server.js', 'sign-in-link', 'admin@slipway.local']);
    const signInToken = out.trim().split('\n').pop()!;
    assert.match(signInToken, /^slp_sit_/);
    const session = await api('POST', '/api/auth/redeem', { token: signInToken });
    assert.equal(session.status, 200, JSON.stringify(session.body));
    token = session.body.accessToken;
    const me = await api('GET', '/api/me');
    assert.equal(me.body.user.email, 'admin@slipway.local');
    teamId = me.body.teams[0].id;
    assert.equal((await api('POST', '/api/auth/redeem', { token: signInToken })).status, 401, 'the token is one-time');
  });

  describe('with the Kubernetes runtime', function () {
    before(function () {
      if (!hasRuntime) {
        console.warn('    skipped: server/runtime/kubernetes is not in this tree yet (SLIPWAY_RUNTIME=kubernetes)');
        this.skip();
      }
      if (!token) throw new Error('sign-in failed above');
    });

    it('runs each project as exactly one pod whose daemon answers, driven by the replicas under leases', async function () {
      const ids = await Promise.all(['one', 'two', 'three', 'four'].map((name) => createProject(`k8s ${name}`)));
      await Promise.all(ids.map((id) => waitStatus(id, 'RUNNING')));
      const replicas = new Set((await serverPods()).map((p) => p.metadata.name));
      for (const id of ids) {
        const holders = [...(leaseHolders.get(id) ?? [])];
        assert.ok(holders.length >= 1 && holders.every((h) => replicas.has(h)), `${id} was driven by a server replica (seen: ${holders.join(' ') || 'none'})`);
      }
      for (const id of ids) {
        const pods = await projectPods(id);
        assert.equal(pods.length, 1, `one pod for ${id}: ${pods.map((p) => `${p.metadata.namespace}/${p.metadata.name}`).join(' ')}`);
        assert.equal(pods[0]!.metadata.namespace, `slipway-team-${teamId}`);
        assert.ok(ready(pods[0]!), `${pods[0]!.metadata.name} is Ready`);
        // The daemon answers: a file written through the API (server -> pod IP -> daemon) reads back.
        const text = `hello from ${id}\n`;
        const put = await api('PUT', `/api/projects/${id}/files?path=hello.txt`, undefined, text);
        assert.equal(put.status, 200, JSON.stringify(put.body));
        assert.equal((await api('GET', `/api/projects/${id}/files?path=hello.txt`)).body, text);
      }
    });

    it('keeps working when a replica that did work is killed: another takes over stop, create and start, still one pod per project', async function () {
      const [first, second] = projects as [string, string];
      // The victim is a replica that did work; after it is gone, the work is someone else's.
      const workers = new Set([...leaseHolders.values()].flatMap((s) => [...s]));
      const victim = (await serverPods()).find((p) => ready(p) && workers.has(p.metadata.name))!;
      assert.ok(victim, `a Ready replica among those that held leases: ${[...workers].join(' ')}`);
      leaseHolders.clear();
      await kubectl(['delete', 'pod', '-n', install!.namespace, victim.metadata.name, '--grace-period=0', '--force', '--wait=false']);
      const stopped = await apiRetrying('POST', `/api/projects/${first}/stop`);
      assert.equal(stopped.status, 202, JSON.stringify(stopped.body));
      const fresh = await createProject('k8s after the kill');
      await Promise.all([waitStatus(first, 'STOPPED'), waitStatus(fresh, 'RUNNING')]);
      assert.equal((await projectPods(first)).length, 0, 'a stopped project has no pod');
      assert.equal((await projectPods(fresh)).length, 1);
      assert.equal((await apiRetrying('GET', `/api/projects/${second}/files?path=hello.txt`)).body, `hello from ${second}\n`);
      // Starting again gets the workspace back (the claims stayed), in one new pod.
      assert.equal((await apiRetrying('POST', `/api/projects/${first}/start`)).status, 202);
      await waitStatus(first, 'RUNNING');
      assert.equal((await projectPods(first)).length, 1);
      assert.equal((await api('GET', `/api/projects/${first}/files?path=hello.txt`)).body, `hello from ${first}\n`);
      for (const id of [first, fresh]) {
        const holders = [...(leaseHolders.get(id) ?? [])];
        assert.ok(holders.length >= 1 && !holders.includes(victim.metadata.name), `${id} was driven by another replica after the kill (seen: ${holders.join(' ') || 'none'})`);
      }
      // The Deployment replaced the killed replica.
      await waitFor(async () => (await serverPods()).filter(ready).length === 2, { timeoutMs: 120_000, intervalMs: 1000, what: 'two Ready replicas again' });
    });
  });
});
