import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import type { V1Secret } from '@kubernetes/client-node';
import { DaemonClient } from '../../daemon-client';
import { ensureDatabaseImage } from '../../testing/database-image';
import { installationObjects, removeKubernetesInstallation, requireImageInCluster, requireKubernetes, testKubernetesRuntime } from '../../testing/kubernetes';
import { ensureSandboxImage } from '../../testing/sandbox-image';
import { waitFor } from '../../testing/wait-for';
import { databaseEnv, newDatabasePassword } from '../database-env';
import type { SandboxSpec } from '../runtime';
import { SandboxFailure } from '../runtime';
import { DATABASE_CONTAINER, databaseClaim } from './database-objects';
import { apiMessage, type KubeClient } from './kube-client';
import type { KubernetesRuntime } from './kubernetes-runtime';
import { LABEL, sandboxPod, type KubernetesConfig } from './sandbox-objects';

/**
 * A project's PostgreSQL on the Kubernetes test cluster: a second container in the sandbox's pod on
 * its own claim, used from the sandbox with psql and DATABASE_URL (daemon through port-forward).
 */
describe('project database on Kubernetes', function () {
  this.timeout(240_000);
  const installation = `db-k8s-${randomUUID()}`;
  const team = randomUUID();
  let kube: KubeClient;
  let runtime: KubernetesRuntime | undefined;
  let image: string;
  let databaseImage: string;
  let config: KubernetesConfig;

  const specOf = (id: string, password = newDatabasePassword()): SandboxSpec => ({
    id, image, token: `t-${id}`, limits: { cpus: 0.5, memoryMb: 512, pids: 256 }, labels: { installation, team, project: `p-${id}` },
    database: { image: databaseImage, password, limits: { cpus: 0.5, memoryMb: 256 } },
  });
  const daemonOf = async (spec: SandboxSpec) => {
    const { address } = await runtime!.start(spec);
    const daemon = new DaemonClient({ baseUrl: address, token: spec.token, ...(runtime!.dial ? { dial: (host: string, port: number) => runtime!.dial!(spec.id, host, port) } : {}) });
    await waitFor(() => daemon.call('health', {}, { timeoutMs: 3000 }).then(() => true, () => false), { what: 'the daemon to answer', timeoutMs: 30_000 });
    return { daemon, address };
  };
  const psql = async (daemon: DaemonClient, password: string, sql: string, url = '$DATABASE_URL') => {
    const result = await daemon.call('exec.run', { command: ['bash', '-c', `psql "${url}" -v ON_ERROR_STOP=1 -XAtqc "$1"`, 'psql', sql], env: databaseEnv(password), timeoutMs: 20_000 });
    if (result.exitCode !== 0) throw new Error(`psql failed (${result.exitCode}): ${result.stderr}`);
    return result.stdout.trim();
  };
  const claims = async () => (await installationObjects(kube, installation)).claims;
  const claimExists = async (id: string) => {
    const namespace = (await kube.core.listPersistentVolumeClaimForAllNamespaces({ fieldSelector: `metadata.name=${databaseClaim(id)}` })).items;
    return namespace.length > 0;
  };

  before(async function () {
    this.timeout(20 * 60_000);
    kube = await requireKubernetes(this);
    [image, databaseImage] = await Promise.all([ensureSandboxImage(), ensureDatabaseImage()]);
    await requireImageInCluster(kube, image);
    await requireImageInCluster(kube, databaseImage);
    ({ runtime, config } = await testKubernetesRuntime());
  });
  after(async function () {
    this.timeout(120_000);
    await runtime?.close();
    if (kube) await removeKubernetesInstallation(kube, installation);
  });

  it('runs beside the sandbox in its pod, hardened, and keeps its rows across stop/start and pod replacement', async () => {
    const spec = specOf(randomUUID());
    let { daemon } = await daemonOf(spec);
    await psql(daemon, spec.database!.password, 'CREATE TABLE t (n int); INSERT INTO t VALUES (1)');
    assert.deepEqual(await runtime!.inspect(spec.id), { id: spec.id, state: 'running', database: 'running' });

    const pod = runtime!.pods.get(spec.id)!;
    const db = pod.spec!.containers.find((c) => c.name === DATABASE_CONTAINER)!;
    assert.equal(db.securityContext?.runAsUser, 999);
    assert.equal(db.securityContext?.readOnlyRootFilesystem, true);
    assert.equal(db.securityContext?.allowPrivilegeEscalation, false);
    assert.deepEqual(db.securityContext?.capabilities?.drop, ['ALL']);
    assert.equal(db.ports, undefined, 'no port declared');
    assert.ok(!db.env?.some((e) => e.name === 'POSTGRES_PASSWORD' && e.value), 'the password comes from the owner Secret');

    await runtime!.stop(spec.id);
    ({ daemon } = await daemonOf(spec));
    assert.equal(await psql(daemon, spec.database!.password, 'INSERT INTO t VALUES (2); SELECT count(*) FROM t'), '2');
    // New limits: a new pod on the same claims.
    ({ daemon } = await daemonOf({ ...spec, limits: { ...spec.limits, memoryMb: 640 } }));
    assert.notEqual(runtime!.pods.get(spec.id)!.metadata!.uid, pod.metadata!.uid);
    assert.equal(await psql(daemon, spec.database!.password, 'SELECT string_agg(n::text, $$,$$ ORDER BY n) FROM t'), '1,2');
    assert.ok((await runtime!.list(installation)).databases?.includes(spec.id));

    await runtime!.remove(spec.id);
    assert.equal(await claimExists(spec.id), false);
    assert.ok(!(await claims()).includes(spec.id));
  });

  it('cannot be reached from another sandbox pod, at the pod IP or its own loopback', async () => {
    const a = specOf(randomUUID());
    const b = { ...specOf(randomUUID()), database: undefined };
    await daemonOf(a);
    const { daemon: other } = await daemonOf(b);
    const ipOfA = runtime!.pods.get(a.id)!.status!.podIP!;
    for (const host of [ipOfA, '127.0.0.1']) {
      await assert.rejects(psql(other, a.database!.password, 'SELECT 1', `postgres://app:${a.database!.password}@${host}:5432/app?connect_timeout=3`), /refused|timeout|could not connect/i);
    }
    await runtime!.remove(a.id);
    await runtime!.remove(b.id);
  });

  it('removeDatabase deletes the claim and a start without the database keeps the workspace', async () => {
    const spec = specOf(randomUUID());
    const { daemon } = await daemonOf(spec);
    await daemon.call('exec.run', { command: ['bash', '-c', 'echo kept > kept.txt'] });
    const off = { ...spec, database: undefined };
    const { daemon: again } = await daemonOf(off); // a new pod without the database container
    await runtime!.removeDatabase(spec.id);
    assert.equal(await claimExists(spec.id), false);
    assert.deepEqual(await runtime!.inspect(spec.id), { id: spec.id, state: 'running' });
    assert.equal((await again.call('exec.run', { command: ['cat', 'kept.txt'] })).stdout, 'kept\n');
    await runtime!.remove(spec.id);
  });

  it('passes the restricted Pod Security Standard (server-side dry run in a namespace that enforces it)', async () => {
    const namespace = `slipway-psa-${randomUUID().slice(0, 8)}`;
    await kube.core.createNamespace({ body: { metadata: { name: namespace, labels: { 'pod-security.kubernetes.io/enforce': 'restricted', [LABEL.installation]: installation } } } });
    const owner: V1Secret = { metadata: { name: 'owner', uid: randomUUID() } };
    const pod = sandboxPod(specOf(randomUUID()), namespace, config, owner);
    await kube.core.createNamespacedPod({ namespace, body: pod, dryRun: 'All' });
    // The check is on: the same pod with a database that may escalate is refused.
    const loose = structuredClone(pod);
    loose.spec!.containers.find((c) => c.name === DATABASE_CONTAINER)!.securityContext!.allowPrivilegeEscalation = true;
    const refusal = await kube.core.createNamespacedPod({ namespace, body: loose, dryRun: 'All' }).then(() => 'admitted', apiMessage);
    assert.match(refusal, /violates PodSecurity "restricted:latest": allowPrivilegeEscalation != false \(container "database"/);
  });

  it('diagnoses a database that cannot start, in plain words', async () => {
    const spec = specOf(randomUUID(), '');
    await assert.rejects(runtime!.start(spec), (error: unknown) => error instanceof SandboxFailure && /the database exited with code 1/.test(error.message));
    assert.match(await runtime!.diagnoseDatabase(spec.id), /^the database exited with code 1; last output:\n.*POSTGRES_PASSWORD/s);
    assert.deepEqual(await runtime!.inspect(spec.id), { id: spec.id, state: 'running', database: 'stopped' }, "the sandbox's state is its own container's");
    await runtime!.remove(spec.id);
  });
});
