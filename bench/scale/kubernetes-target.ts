import type { V1Pod } from '@kubernetes/client-node';
import { randomUUID } from 'node:crypto';
import type { KubeClient } from '../../server/runtime/kubernetes/kube-client';
import type { KubernetesRuntime } from '../../server/runtime/kubernetes/kubernetes-runtime';
import { LABEL } from '../../server/runtime/kubernetes/sandbox-objects';
import { removeKubernetesInstallation } from '../../server/testing/kubernetes';
import { waitFor } from '../../server/testing/wait-for';
import { podCgroup } from './host-probe';
import type { ScaleTarget } from './scale-bench';

/**
 * The scale bench on the Kubernetes cluster in KUBECONFIG (keep N small on the test cluster: each
 * sandbox holds two claims of its volume pool). Memory and CPU are read from the pods' cgroups
 * (the kubelet's, on this node).
 */
export function kubernetesTarget(kube: KubeClient, runtime: KubernetesRuntime): ScaleTarget {
  const pods = async (labelSelector: string) => (await kube.core.listPodForAllNamespaces({ labelSelector })).items;
  return {
    name: 'Kubernetes',
    runtime,
    cgroups: async (installation) => (await pods(`${LABEL.installation}=${installation}`)).filter((p) => p.status?.phase === 'Running' && p.metadata?.uid).map((p) => podCgroup(p.metadata!.uid!)),
    remaining: async (installation) => (await pods(`${LABEL.installation}=${installation}`)).length,
    async baseline(n, width, image) {
      // Bare pods of the same image (no claims, Secret or policy) in a namespace of their own.
      const namespace = `slipway-bench-${randomUUID().slice(0, 8)}`;
      const selector = `slipway-bench=${namespace}`;
      await kube.core.createNamespace({ body: { metadata: { name: namespace, labels: { 'slipway-bench': namespace } } } });
      try {
        const runStart = performance.now();
        let next = 0;
        await Promise.all(Array.from({ length: Math.min(width, n) }, async () => {
          while (next < n) {
            const i = next++;
            await kube.core.createNamespacedPod({ namespace, body: barePod(`bare-${i}`, namespace, image) });
            await waitFor(async () => (await kube.core.readNamespacedPod({ name: `bare-${i}`, namespace })).status?.phase === 'Running', { timeoutMs: 120_000, intervalMs: 50 });
          }
        }));
        const runMs = performance.now() - runStart;
        const rmStart = performance.now();
        await kube.core.deleteCollectionNamespacedPod({ namespace, gracePeriodSeconds: 0, labelSelector: selector });
        await waitFor(async () => (await pods(selector)).length === 0, { timeoutMs: 120_000, intervalMs: 100 });
        return { label: `bare pods of the same image until Running, then deleted, ${width} at a time`, runMs, rmMs: performance.now() - rmStart };
      } finally {
        await kube.core.deleteNamespace({ name: namespace }).catch(() => {});
      }
    },
    cleanup: (installation) => removeKubernetesInstallation(kube, installation),
  };
}

function barePod(name: string, namespace: string, image: string): V1Pod {
  return {
    metadata: { name, namespace, labels: { 'slipway-bench': namespace } },
    spec: {
      restartPolicy: 'Never', automountServiceAccountToken: false, terminationGracePeriodSeconds: 0,
      containers: [{ name: 'bare', image, imagePullPolicy: 'IfNotPresent', env: [{ name: 'SLIPWAY_DAEMON_TOKEN', value: 'bench-token-bench-token' }], resources: { requests: { cpu: '100m', memory: '64Mi' }, limits: { cpu: '1', memory: '512Mi' } } }],
    },
  };
}
