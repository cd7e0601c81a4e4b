import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { dirname } from 'node:path';
import { promisify } from 'node:util';
import { loadConfig, type Config, type ConfigInput } from '../config';
import { silentLogger } from '../log';
import { connectKube, type KubeClient } from '../runtime/kubernetes/kube-client';
import { KubernetesRuntime } from '../runtime/kubernetes/kubernetes-runtime';
import { LABEL } from '../runtime/kubernetes/sandbox-objects';
import { installationId } from '../reconcile/sandbox-store';
import { resourcePath } from '../resources';
import type { ProcessFixture } from './process-fixture';
import { testDatabase } from './postgres';
import { ensureSandboxImage } from './sandbox-image';
import { waitFor } from './wait-for';

let client: Promise<KubeClient | undefined> | undefined;

/** The test cluster from KUBECONFIG, if one is configured and answers. */
export const testCluster = (): Promise<KubeClient | undefined> =>
  (client ??= (async () => {
    if (!process.env.KUBECONFIG) return undefined;
    try {
      const kube = await connectKube();
      await kube.core.listNamespace({ limit: 1 });
      return kube;
    } catch {
      return undefined;
    }
  })());

/**
 * For suites that need a real Kubernetes cluster (KUBECONFIG). Without one they are skipped with
 * the reason, except when SLIPWAY_REQUIRE_KUBERNETES is set (CI): then they fail.
 */
export async function requireKubernetes(context: Mocha.Context): Promise<KubeClient> {
  const kube = await testCluster();
  if (kube) return kube;
  const how = 'eval "$(bash ../shared/k8s-test-cluster/up.sh /var/tmp/slipway-k8s)" starts the test cluster';
  if (process.env.SLIPWAY_REQUIRE_KUBERNETES) throw new Error(`Kubernetes is required here (SLIPWAY_REQUIRE_KUBERNETES is set) but no cluster answers at KUBECONFIG=${process.env.KUBECONFIG ?? '(unset)'}; ${how}`);
  console.warn(`    skipped: no Kubernetes cluster (KUBECONFIG unset or not answering; ${how})`);
  context.skip();
}

const execFileAsync = promisify(execFile);

const nodesHold = async (kube: KubeClient, wanted: string): Promise<boolean> =>
  (await kube.core.listNode()).items.some((node) => node.status?.images?.some((i) => i.names?.includes(wanted)));

/**
 * The nodes hold the image (nothing can be pulled on these machines). On the kit's test cluster a
 * missing one is imported (`.ci/k8s.sh import`); elsewhere the suite fails saying how to load it.
 */
export async function requireImageInCluster(kube: KubeClient, image: string): Promise<void> {
  const wanted = image.includes('/') ? image : `docker.io/library/${image}`;
  if (await nodesHold(kube, wanted)) return;
  const kit = process.env.KUBECONFIG?.endsWith('/admin.kubeconfig') && existsSync(resourcePath('.ci', 'k8s.sh'));
  if (!kit) throw new Error(`the cluster's nodes do not hold ${image}: load it into them (the test cluster: bash .ci/k8s.sh import ${image})`);
  await execFileAsync('bash', [resourcePath('.ci', 'k8s.sh'), 'import', image], { timeout: 5 * 60_000, env: { ...process.env, SLIPWAY_K8S_STATE: dirname(process.env.KUBECONFIG!) } });
  // The kubelet reports its images with the node status (every ~10 s).
  await waitFor(() => nodesHold(kube, wanted), { timeoutMs: 60_000, intervalMs: 1000, what: `${image} on the nodes after importing it` });
}

/** The runtime as tests use it: its own config over the defaults. */
export async function testKubernetesRuntime(overrides: ConfigInput['kubernetes'] = {}): Promise<{ runtime: KubernetesRuntime; config: Config['kubernetes'] }> {
  const config = loadConfig({}, { kubernetes: overrides }).kubernetes;
  return { runtime: await KubernetesRuntime.connect(config, silentLogger()), config };
}

/** Every object of an installation, by kind: sandbox ids (test assertions, orphan checks). */
export async function installationObjects(kube: KubeClient, installation: string): Promise<{ pods: string[]; secrets: string[]; claims: string[] }> {
  const labelSelector = `${LABEL.installation}=${installation}`;
  const ids = (items: { metadata?: { labels?: Record<string, string> } }[]) => items.map((i) => i.metadata?.labels?.[LABEL.sandbox] ?? '').sort();
  const [pods, secrets, claims] = await Promise.all([
    kube.core.listPodForAllNamespaces({ labelSelector }),
    kube.core.listSecretForAllNamespaces({ labelSelector }),
    kube.core.listPersistentVolumeClaimForAllNamespaces({ labelSelector }),
  ]);
  return { pods: ids(pods.items), secrets: ids(secrets.items), claims: [...new Set(ids(claims.items))] };
}

/** Removes everything an installation made (test teardown): its namespaces, and its objects in shared ones. */
export async function removeKubernetesInstallation(kube: KubeClient, installation: string): Promise<void> {
  const labelSelector = `${LABEL.installation}=${installation}`;
  const { core } = kube;
  const swallow = () => undefined;
  for (const ns of (await core.listNamespace({ labelSelector })).items) await core.deleteNamespace({ name: ns.metadata!.name! }).catch(swallow);
  for (const pod of (await core.listPodForAllNamespaces({ labelSelector })).items) {
    await core.deleteNamespacedPod({ name: pod.metadata!.name!, namespace: pod.metadata!.namespace!, gracePeriodSeconds: 0 }).catch(swallow);
  }
  for (const s of (await core.listSecretForAllNamespaces({ labelSelector })).items) await core.deleteNamespacedSecret({ name: s.metadata!.name!, namespace: s.metadata!.namespace! }).catch(swallow);
  for (const c of (await core.listPersistentVolumeClaimForAllNamespaces({ labelSelector })).items) {
    await core.deleteNamespacedPersistentVolumeClaim({ name: c.metadata!.name!, namespace: c.metadata!.namespace! }).catch(swallow);
  }
}

/**
 * Test teardown of a server on the Kubernetes runtime: stop it (`stop`, by default its own close), close
 * the runtime, then remove everything the server's installation made.
 */
export async function stopKubernetesServer(
  kube: KubeClient, server: { reconciler?: { ctx: { installation: string } } | null; close(): Promise<void> }, runtime?: { close(): Promise<void> }, stop: () => Promise<unknown> = () => server.close(),
): Promise<void> {
  const installation = server.reconciler!.ctx.installation;
  await stop();
  await runtime?.close();
  await removeKubernetesInstallation(kube, installation);
}

/** For tests that run real server processes (main.ts) with SLIPWAY_RUNTIME=kubernetes against the test cluster. */
export async function kubernetesProcessFixture(context: Mocha.Context): Promise<ProcessFixture> {
  const kube = await requireKubernetes(context);
  const image = await ensureSandboxImage();
  await requireImageInCluster(kube, image);
  const db = await testDatabase();
  const installation = await installationId(db.sql);
  return {
    db, installation,
    env: { DATABASE_URL: db.url, SLIPWAY_SECRET_KEY: randomBytes(32).toString('base64'), SLIPWAY_RUNTIME: 'kubernetes', SLIPWAY_SANDBOX_IMAGE: image, KUBECONFIG: process.env.KUBECONFIG! },
    async drop() {
      await removeKubernetesInstallation(kube, installation);
      await db.drop();
    },
  };
}
