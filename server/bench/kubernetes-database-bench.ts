import { randomUUID } from 'node:crypto';
import type { V1Pod } from '@kubernetes/client-node';
import { DATABASE_READY_COMMAND } from '../runtime/database-server';
import { newDatabasePassword } from '../runtime/database-env';
import { orMissing, type KubeClient } from '../runtime/kubernetes/kube-client';
import type { SandboxSpec } from '../runtime/runtime';
import { removeKubernetesInstallation, requireImageInCluster, testKubernetesRuntime } from '../testing/kubernetes';
import { progress, summarize, type Row } from '../../bench/stats';

/**
 * Project databases on Kubernetes: a new sandbox pod with its database (three claims, the Secret)
 * until the database is ready (runtime.start resolves then), next to a bare pod of the database
 * image alone until the same pg_isready probe makes it Ready. Ours and the bare pod alternate.
 */
export async function kubernetesDatabaseBench(kube: KubeClient, sandboxImage: string, databaseImage: string, runs: number): Promise<Row[]> {
  await requireImageInCluster(kube, sandboxImage);
  await requireImageInCluster(kube, databaseImage);
  const { runtime } = await testKubernetesRuntime({ reach: 'pod-ip' });
  const installation = `bench-k8s-db-${randomUUID()}`;
  const team = randomUUID();
  const specOf = (): SandboxSpec => {
    const id = randomUUID();
    return {
      id, image: sandboxImage, token: `bench-${id}`, limits: { cpus: 1, memoryMb: 1024, pids: 256 }, labels: { installation, team },
      database: { image: databaseImage, password: newDatabasePassword(), limits: { cpus: 1, memoryMb: 512 } },
    };
  };
  try {
    progress('kubernetes database create');
    const ours: number[] = [];
    const bare: number[] = [];
    for (let i = 0; i <= runs; i++) {
      const spec = specOf();
      const start = performance.now();
      await runtime.start(spec);
      if (i > 0) ours.push(performance.now() - start); // the first warms up (and makes the namespace)
      const namespace = runtime.pods.get(spec.id)!.metadata!.namespace!;
      await runtime.remove(spec.id); // gives its claims back to the cluster's pool
      const bareStart = performance.now();
      await bareDatabasePod(kube, namespace, databaseImage, installation);
      if (i > 0) bare.push(performance.now() - bareStart);
    }
    return [{
      what: 'kubernetes: create sandbox + database → database ready (pod with 3 claims, Secret)',
      ours: summarize(ours),
      baseline: { label: 'bare pod of the database image (no volume) → pg_isready Ready', ...summarize(bare) },
      goal: '≤ 1.5×',
    }];
  } finally {
    await runtime.close();
    await removeKubernetesInstallation(kube, installation);
  }
}

async function bareDatabasePod(kube: KubeClient, namespace: string, image: string, installation: string): Promise<void> {
  const name = `bench-bare-pg-${Math.floor(Math.random() * 1e9)}`;
  const pod: V1Pod = {
    metadata: { name, namespace, labels: { 'dev.slipway.installation': installation } },
    spec: {
      restartPolicy: 'Never', automountServiceAccountToken: false, terminationGracePeriodSeconds: 0,
      securityContext: { runAsUser: 999, runAsGroup: 999, fsGroup: 999 },
      containers: [{
        name: 'bare', image, imagePullPolicy: 'IfNotPresent',
        env: [{ name: 'POSTGRES_PASSWORD', value: newDatabasePassword() }, { name: 'POSTGRES_USER', value: 'app' }, { name: 'POSTGRES_DB', value: 'app' }],
        readinessProbe: { exec: { command: DATABASE_READY_COMMAND }, periodSeconds: 1, timeoutSeconds: 5 },
        resources: { requests: { cpu: '100m', memory: '64Mi' }, limits: { cpu: '1', memory: '512Mi' } },
      }],
    },
  };
  await kube.core.createNamespacedPod({ namespace, body: pod });
  for (;;) {
    const now = await kube.core.readNamespacedPod({ name, namespace });
    if (now.status?.containerStatuses?.[0]?.ready) break;
    if (now.status?.phase === 'Failed') throw new Error(`the bare database pod failed: ${JSON.stringify(now.status)}`);
    await new Promise((r) => setTimeout(r, 25));
  }
  await kube.core.deleteNamespacedPod({ name, namespace, gracePeriodSeconds: 0 });
  while (await orMissing(kube.core.readNamespacedPod({ name, namespace }))) await new Promise((r) => setTimeout(r, 50));
}
