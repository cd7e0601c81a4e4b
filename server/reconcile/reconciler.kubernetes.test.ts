import assert from 'node:assert/strict';
import type { KubeClient } from '../runtime/kubernetes/kube-client';
import type { KubernetesRuntime } from '../runtime/kubernetes/kubernetes-runtime';
import { podName } from '../runtime/kubernetes/sandbox-objects';
import { installationObjects, requireImageInCluster, requireKubernetes, stopKubernetesServer, testKubernetesRuntime } from '../testing/kubernetes';
import { ensureSandboxImage } from '../testing/sandbox-image';
import { waitFor } from '../testing/wait-for';
import { lifecycleHarness, lifecycleSuite, type LifecycleHarness } from './lifecycle.suite';
import { sandboxOfProject } from './sandbox-store';

const LIMITS = { cpus: 1, memoryMb: 512, pids: 256 };
/** API objects are class instances: compare their JSON. */
const plain = (value: unknown): unknown => JSON.parse(JSON.stringify(value));

describe('reconciler on Kubernetes (the test cluster)', function () {
  this.timeout(120_000);
  let kube: KubeClient;
  let runtime: KubernetesRuntime;
  let image: string;
  let h: LifecycleHarness;
  const extra: { h: LifecycleHarness; runtime: KubernetesRuntime }[] = [];

  before(async function () {
    this.timeout(20 * 60_000);
    kube = await requireKubernetes(this);
    image = await ensureSandboxImage();
    await requireImageInCluster(kube, image);
    ({ runtime } = await testKubernetesRuntime());
    h = await lifecycleHarness(runtime, { sandboxImage: image, sandboxLimits: LIMITS });
  });
  after(async function () {
    this.timeout(120_000);
    for (const one of [...extra, ...(h ? [{ h, runtime }] : [])]) {
      await stopKubernetesServer(kube, one.h.s, one.runtime);
    }
  });

  // Each sandbox holds two claims of the cluster's volume pool: give them back after every test.
  afterEach(async () => {
    for (const one of [h, ...extra.map((e) => e.h)]) {
      if (!one) continue;
      const projects = await one.s.db.sql<{ id: string }[]>`SELECT id FROM projects WHERE desired_state <> 'DELETED'`;
      for (const { id } of projects) await one.s.call('DELETE', `/api/projects/${id}`, { token: one.user.token });
    }
  });

  /** Another server on its own database, with its own runtime settings. */
  async function another(kubernetes: Parameters<typeof testKubernetesRuntime>[0], overrides: Parameters<typeof lifecycleHarness>[1] = {}): Promise<LifecycleHarness> {
    const made = await testKubernetesRuntime(kubernetes);
    const other = await lifecycleHarness(made.runtime, { sandboxImage: image, sandboxLimits: LIMITS, ...overrides });
    extra.push({ h: other, runtime: made.runtime });
    return other;
  }

  it('reaches daemons through the API server (port-forward) from outside the cluster', () => {
    assert.ok(runtime.dial, 'auto chooses port-forward outside the cluster');
    assert.ok(h.s.services.daemons.dial, 'the daemon clients use it');
  });

  it("sends a connection for one sandbox only to that sandbox's pod: another pod's address is refused, not reached", async () => {
    const [a, b] = [await h.create({ template: 'empty' }), await h.create({ template: 'empty', name: 'other' })];
    await Promise.all([h.waitStatus(a.id, 'RUNNING'), h.waitStatus(b.id, 'RUNNING')]);
    const [sa, sb] = [(await sandboxOfProject(h.s.db.sql, a.id))!, (await sandboxOfProject(h.s.db.sql, b.id))!];
    const target = new URL(sb.address!);
    /** What a raw HTTP request over the runtime's dialler for `sandboxId` to b's daemon address gets back. */
    const answer = async (sandboxId: string) => {
      const socket = await runtime.dial!(sandboxId, target.hostname, Number(target.port));
      return new Promise<string>((resolve) => {
        let got = '';
        socket.on('data', (chunk: Buffer) => { got += chunk.toString(); if (got.includes('\r\n\r\n')) socket.destroy(); });
        socket.on('error', () => undefined);
        socket.on('close', () => resolve(got));
        socket.write(`GET /health HTTP/1.1\r\nHost: daemon\r\nAuthorization: Bearer ${h.s.services.daemons.tokenFor(sandboxId)}\r\nConnection: close\r\n\r\n`);
      });
    };
    assert.match(await answer(sb.id), /^HTTP\/1\.1 /, "b's own dialler reaches b's daemon");
    assert.equal(await answer(sa.id), '', "a's dialler does not reach b's pod (nor send it a's token)");
  });

  lifecycleSuite(() => h);

  const podOf = async (projectId: string) => {
    const sandbox = (await sandboxOfProject(h.s.db.sql, projectId))!;
    const pods = await kube.core.listPodForAllNamespaces({ labelSelector: `dev.slipway.sandbox=${sandbox.id}` });
    assert.equal(pods.items.length, 1);
    return { sandbox, pod: pods.items[0]! };
  };

  it('runs the pod non-root with RuntimeDefault seccomp, no capabilities, no token, the team limits (read back from the API)', async () => {
    const project = await h.create({ template: 'empty' });
    await h.waitStatus(project.id, 'RUNNING');
    const { sandbox, pod } = await podOf(project.id);
    const spec = pod.spec!;
    assert.equal(pod.metadata!.namespace, `slipway-team-${h.user.teamId}`);
    assert.deepEqual(plain(spec.securityContext), { runAsNonRoot: true, runAsUser: 1000, runAsGroup: 1000, fsGroup: 1000, seccompProfile: { type: 'RuntimeDefault' } });
    const container = spec.containers[0]!;
    assert.equal(container.securityContext!.allowPrivilegeEscalation, false);
    assert.deepEqual(plain(container.securityContext!.capabilities), { drop: ['ALL'] });
    assert.equal(spec.automountServiceAccountToken, false);
    assert.ok(!spec.hostNetwork && !spec.hostPID && !spec.hostIPC);
    assert.deepEqual(plain(container.resources!.limits), { cpu: '1', memory: '512Mi' });
    assert.deepEqual(plain(container.resources!.requests), { cpu: '100m', memory: '51Mi' });
    const token = container.env!.find((e) => e.name === 'SLIPWAY_DAEMON_TOKEN')!;
    assert.equal(token.value, undefined, 'never a literal in the pod spec');
    assert.equal(token.valueFrom!.secretKeyRef!.name, `slipway-${sandbox.id}`);
    assert.deepEqual(pod.metadata!.ownerReferences!.map((o) => `${o.kind}/${o.name}`), [`Secret/slipway-${sandbox.id}`]);
    for (const key of ['dev.slipway.installation', 'dev.slipway.sandbox', 'dev.slipway.project', 'dev.slipway.team']) assert.ok(pod.metadata!.labels![key], key);
    const daemon = await h.daemonOf(project.id);
    const who = await daemon.call('exec.run', { command: 'id -u; id -g; grep CapEff /proc/self/status; grep NoNewPrivs /proc/self/status; ls /var/run/secrets/kubernetes.io 2>&1 | head -1' });
    assert.match(who.stdout, /^1000\n1000\nCapEff:\s+0+\nNoNewPrivs:\s+1\n.*No such file/, who.stdout);
  });

  it('applies the NetworkPolicy, ResourceQuota and LimitRange to the team namespace (objects only: this cluster does not enforce NetworkPolicy)', async () => {
    const namespace = `slipway-team-${h.user.teamId}`;
    const policy = await kube.net.readNamespacedNetworkPolicy({ name: 'slipway-sandboxes', namespace });
    assert.deepEqual(policy.spec!.policyTypes, ['Ingress', 'Egress']);
    assert.deepEqual(plain(policy.spec!.ingress![0]!._from), [{ namespaceSelector: {}, podSelector: { matchLabels: { 'app.kubernetes.io/name': 'slipway-server' } } }]);
    const internet = policy.spec!.egress![0]!.to![0]!.ipBlock!;
    assert.equal(internet.cidr, '0.0.0.0/0');
    for (const denied of ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16', '169.254.0.0/16']) assert.ok(internet.except!.includes(denied), denied);
    const quota = await kube.core.readNamespacedResourceQuota({ name: 'slipway-sandboxes', namespace });
    assert.equal(quota.spec!.hard!.pods, '20');
    assert.equal(quota.spec!.hard!['limits.memory'], '10Gi');
    const range = await kube.core.readNamespacedLimitRange({ name: 'slipway-sandboxes', namespace });
    assert.deepEqual(plain(range.spec!.limits[0]!.max), { cpu: '1', memory: '512Mi' });
  });

  it('replaces a pod that was deleted behind its back, at once, keeping the workspace', async () => {
    const project = await h.create({ template: 'empty' });
    await h.waitStatus(project.id, 'RUNNING');
    await (await h.daemonOf(project.id)).writeFile('kept.txt', 'kept');
    const { sandbox, pod } = await podOf(project.id);
    await kube.core.deleteNamespacedPod({ name: podName(sandbox.id), namespace: pod.metadata!.namespace!, gracePeriodSeconds: 0 });
    await waitFor(async () => {
      const [row] = await h.s.db.sql<{ status: string; statusMessage: string | null }[]>`SELECT status, status_message FROM projects WHERE id = ${project.id}`;
      return row!.status !== 'RUNNING' || /restarting/.test(row!.statusMessage ?? '');
    }, { what: 'the deletion to be noticed', timeoutMs: 10_000 });
    await h.waitStatus(project.id, 'RUNNING');
    const replaced = await podOf(project.id);
    assert.notEqual(replaced.pod.metadata!.uid, pod.metadata!.uid, 'a new pod');
    assert.equal(await (await h.daemonOf(project.id)).readText('kept.txt'), 'kept');
  });

  it('removes orphan objects found by label (a pod, claims and Secret without a row)', async () => {
    const installation = h.s.reconciler!.ctx.installation;
    const project = await h.create({ template: 'empty' });
    await h.waitStatus(project.id, 'RUNNING');
    const { sandbox } = await podOf(project.id);
    // The row disappears (as after a crash between the runtime's work and the database's).
    await h.s.db.sql`UPDATE projects SET desired_state = 'STOPPED', status = 'STOPPED' WHERE id = ${project.id}`;
    await h.s.db.sql`DELETE FROM sandboxes WHERE id = ${sandbox.id}`;
    await waitFor(async () => {
      const objects = await installationObjects(kube, installation);
      return ![...objects.pods, ...objects.secrets, ...objects.claims].includes(sandbox.id);
    }, { what: 'the orphan objects gone', timeoutMs: 60_000 });
  });

  it('turns a quota refusal into a clear project error, not a hang', async () => {
    const tight = await another({ quotaSandboxes: 1 });
    const first = await tight.create({ template: 'empty' });
    await tight.waitStatus(first.id, 'RUNNING');
    const second = await tight.create({ template: 'empty' });
    const failed = await tight.waitStatus(second.id, 'ERROR', 30_000);
    assert.match(failed.statusMessage ?? '', /quota in namespace slipway-team-.* allows no more sandboxes: .*exceeded quota/);
  });

  it('says why a pod cannot be scheduled, in the scheduler\'s words', async () => {
    const nowhere = await another({ nodeSelector: { 'slipway.dev/no-such-node': 'yes' } });
    const project = await nowhere.create({ template: 'empty' });
    const failed = await nowhere.waitStatus(project.id, 'ERROR', 30_000);
    assert.match(failed.statusMessage ?? '', /no node can run the sandbox: 0\/1 nodes are available: .*node affinity\/selector/);
  });

  it('says when the cluster cannot get the image', async () => {
    const missing = await another({}, { sandboxImage: 'slipway-sandbox:not-in-the-cluster' });
    const project = await missing.create({ template: 'empty' });
    const failed = await missing.waitStatus(project.id, 'ERROR', 60_000);
    assert.match(failed.statusMessage ?? '', /cannot get the sandbox image slipway-sandbox:not-in-the-cluster \((ErrImagePull|ImagePullBackOff)\)/);
  });

  it('claims a warm pod from the pool, relabels its objects for the project, and refills the pool', async () => {
    const pooled = await another({}, { warmPool: 1 });
    const installation = pooled.s.reconciler!.ctx.installation;
    const poolRow = await waitFor(async () => (await pooled.s.db.sql<{ id: string }[]>`SELECT id FROM sandboxes WHERE project_id IS NULL AND state = 'RUNNING'`)[0], { what: 'a warm sandbox', timeoutMs: 60_000 });
    const project = await pooled.create({ template: 'empty' });
    await pooled.waitStatus(project.id, 'RUNNING');
    assert.equal((await sandboxOfProject(pooled.s.db.sql, project.id))!.id, poolRow.id, 'the project got the warm sandbox');
    const selector = `dev.slipway.project=${project.id},dev.slipway.team=${pooled.user.teamId}`;
    const [pods, secrets, claims] = await Promise.all([
      kube.core.listPodForAllNamespaces({ labelSelector: selector }),
      kube.core.listSecretForAllNamespaces({ labelSelector: selector }),
      kube.core.listPersistentVolumeClaimForAllNamespaces({ labelSelector: selector }),
    ]);
    assert.deepEqual([pods.items.length, secrets.items.length, claims.items.length], [1, 1, 2], 'every object carries the project and team');
    assert.equal(pods.items[0]!.metadata!.namespace, 'slipway-pool', 'a claimed warm sandbox stays in the pool namespace');
    assert.ok((await (await pooled.daemonOf(project.id)).health()).ok);
    await waitFor(async () => (await pooled.s.db.sql`SELECT id FROM sandboxes WHERE project_id IS NULL AND state = 'RUNNING'`)[0], { what: 'the pool refilled', timeoutMs: 60_000 });
    assert.equal((await installationObjects(kube, installation)).pods.length, 2);
  });

  it('prepares a team namespace again after someone deleted it behind the runtime\'s back', async () => {
    const other = await another({});
    const project = await other.create({ template: 'empty' });
    await other.waitStatus(project.id, 'RUNNING');
    await other.s.call('POST', `/api/projects/${project.id}/stop`, { token: other.user.token });
    await other.waitStatus(project.id, 'STOPPED');
    const name = `slipway-team-${other.user.teamId}`;
    await kube.core.deleteNamespace({ name });
    await waitFor(async () => (await kube.core.listNamespace({ fieldSelector: `metadata.name=${name}` })).items.length === 0, { what: 'the namespace gone', timeoutMs: 60_000 });
    await other.s.call('POST', `/api/projects/${project.id}/start`, { token: other.user.token });
    // It may fail once (the namespace it knew is gone), then comes back in a new one.
    await waitFor(async () => (await other.s.call('GET', `/api/projects/${project.id}`, { token: other.user.token })).body.status === 'RUNNING', { what: 'RUNNING again', timeoutMs: 60_000 });
    assert.ok((await (await other.daemonOf(project.id)).health()).ok);
    assert.equal((await kube.net.readNamespacedNetworkPolicy({ name: 'slipway-sandboxes', namespace: name })).metadata!.name, 'slipway-sandboxes');
  });

  it('reaches daemons at the pod IP when configured so (as inside the cluster)', async () => {
    const direct = await another({ reach: 'pod-ip' });
    const project = await direct.create({ template: 'empty' });
    await direct.waitStatus(project.id, 'RUNNING');
    const sandbox = (await sandboxOfProject(direct.s.db.sql, project.id))!;
    // The server's cluster is dialled directly (the daemon clients' dialler goes through the API server only for teams' own clusters).
    assert.equal(extra.at(-1)!.runtime.dial, undefined);
    assert.match(sandbox.address!, /^http:\/\/10\.244\.\d+\.\d+:7070$/);
    assert.ok((await (await direct.daemonOf(project.id)).health()).ok);
  });
});
