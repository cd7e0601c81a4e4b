import type { V1Pod } from '@kubernetes/client-node';
import { DaemonClient } from '../daemon-client';
import { lifecycleHarness, type LifecycleHarness } from '../reconcile/lifecycle.suite';
import { waitForDaemon } from '../runtime/daemon-connections';
import type { KubeClient } from '../runtime/kubernetes/kube-client';
import { removeKubernetesInstallation, requireImageInCluster, testKubernetesRuntime } from '../testing/kubernetes';
import { warmCreates } from './sandbox-bench';
import { progress, summarize, type Row } from '../../bench/stats';

const PACE = { intervalMs: 1000, observeMs: 5000, leaseSeconds: 20, concurrency: 4 };

/**
 * Kubernetes figures (the cluster in KUBECONFIG), daemons reached at pod IPs as from inside the
 * cluster: create → daemon ready next to a bare pod of the same image, and the warm-pool claim.
 */
export async function kubernetesBench(kube: KubeClient, image: string, runs: number): Promise<Row[]> {
  await requireImageInCluster(kube, image);
  const rows: Row[] = [];
  const { runtime } = await testKubernetesRuntime({ reach: 'pod-ip' });
  const close = async (h: LifecycleHarness) => {
    const installation = h.s.reconciler!.ctx.installation;
    await h.s.close();
    await removeKubernetesInstallation(kube, installation);
  };
  try {
    const cold = await lifecycleHarness(runtime, { sandboxImage: image, warmPool: 0, reconcile: PACE });
    try {
      progress('kubernetes cold create');
      // Ours and the bare pod alternate, so both meet the same load on a shared machine.
      const namespace = `slipway-team-${cold.user.teamId}`;
      const ours: number[] = [];
      const bare: number[] = [];
      const made: string[] = [];
      for (let i = 0; i <= runs; i++) {
        const start = performance.now();
        const project = await cold.create({ template: 'empty' });
        await cold.waitStatus(project.id, 'RUNNING');
        if (i > 0) ours.push(performance.now() - start); // the first of each warms up
        made.push(project.id);
        const bareStart = performance.now();
        await barePod(kube, namespace, image);
        if (i > 0) bare.push(performance.now() - bareStart);
      }
      for (const id of made) await cold.s.call('DELETE', `/api/projects/${id}`, { token: cold.user.token });
      rows.push({ what: 'kubernetes: create → daemon ready (pod with 2 claims, Secret, policy)', ours: summarize(ours), baseline: { label: 'bare pod of the same image → daemon answers', ...summarize(bare) }, goal: '≤ 1.3×' });
    } finally {
      await close(cold);
    }

    const warm = await lifecycleHarness(runtime, { sandboxImage: image, warmPool: 1, reconcile: PACE });
    try {
      progress('kubernetes warm pool');
      // Each sandbox holds two claims of the cluster's pool: give them back as we go.
      const samples = await warmCreates(warm, runs, undefined, async (projectId) => { await warm.s.call('DELETE', `/api/projects/${projectId}`, { token: warm.user.token }); });
      rows.push({ what: 'kubernetes: warm-pool claim (create → RUNNING pushed, pod relabelled)', ours: summarize(samples), goal: '≤ 100 ms p50' });
    } finally {
      await close(warm);
    }
  } finally {
    await runtime.close();
  }
  return rows;
}

/** `kubectl run`'s equivalent: the image alone, the token as a plain variable, no volumes; until its daemon answers. */
async function barePod(kube: KubeClient, namespace: string, image: string): Promise<void> {
  const name = `bench-bare-${Math.floor(Math.random() * 1e9)}`;
  const token = 'bench-token-bench-token';
  const pod: V1Pod = {
    metadata: { name, namespace },
    spec: {
      restartPolicy: 'Never', automountServiceAccountToken: false, terminationGracePeriodSeconds: 0,
      containers: [{ name: 'bare', image, imagePullPolicy: 'IfNotPresent', env: [{ name: 'SLIPWAY_DAEMON_TOKEN', value: token }], resources: { requests: { cpu: '100m', memory: '64Mi' }, limits: { cpu: '1', memory: '512Mi' } } }],
    },
  };
  await kube.core.createNamespacedPod({ namespace, body: pod });
  let ip: string | undefined;
  while (!ip) {
    const now = await kube.core.readNamespacedPod({ name, namespace });
    if (now.status?.phase === 'Running') ip = now.status.podIP;
    else await new Promise((r) => setTimeout(r, 20));
  }
  const client = new DaemonClient({ baseUrl: `http://${ip}:7070`, token });
  await waitForDaemon(client, 30_000);
  client.close();
  await kube.core.deleteNamespacedPod({ name, namespace, gracePeriodSeconds: 0 });
}
