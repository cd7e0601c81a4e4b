import type { V1LimitRange, V1Namespace, V1NetworkPolicy, V1NetworkPolicyPeer, V1ResourceQuota } from '@kubernetes/client-node';
import type { SandboxLimits } from '../runtime';
import { LABEL, mebibytes, millicpu, resourcesOf, type KubernetesConfig } from './sandbox-objects';

export const NETWORK_POLICY = 'slipway-sandboxes';
export const RESOURCE_QUOTA = 'slipway-sandboxes';
export const LIMIT_RANGE = 'slipway-sandboxes';
export const MANAGED_BY = { 'app.kubernetes.io/managed-by': 'slipway' };

/** A team's namespace carries the installation and team (it is theirs alone); the pool's is shared. */
export function namespaceObject(name: string, installation: string, teamId?: string): V1Namespace {
  return {
    apiVersion: 'v1', kind: 'Namespace',
    metadata: { name, labels: { ...MANAGED_BY, ...(teamId ? { [LABEL.installation]: installation, [LABEL.team]: teamId } : {}) } },
  };
}

/**
 * Sandboxes take traffic only from the Slipway server's pods (any port: the daemon and the app's
 * preview ports), and reach the internet but not the cluster, private ranges or the metadata
 * address, except what the allow-list names; DNS to the cluster's resolver stays open.
 * Only an enforcing CNI (Calico, Cilium…) applies it.
 */
export function networkPolicy(namespace: string, config: KubernetesConfig): V1NetworkPolicy {
  const server: V1NetworkPolicyPeer = { namespaceSelector: {}, podSelector: { matchLabels: config.serverPodLabels } };
  return {
    apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy',
    metadata: { name: NETWORK_POLICY, namespace, labels: MANAGED_BY },
    spec: {
      podSelector: { matchExpressions: [{ key: LABEL.sandbox, operator: 'Exists' }] },
      policyTypes: ['Ingress', 'Egress'],
      ingress: [{ _from: [server], ports: [{ protocol: 'TCP' }] }],
      egress: [
        { to: [{ ipBlock: { cidr: '0.0.0.0/0', except: config.egressDeny } }] },
        {
          to: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'kube-system' } }, podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } } }],
          ports: [{ protocol: 'UDP', port: 53 }, { protocol: 'TCP', port: 53 }],
        },
        ...config.egressAllow.map((cidr) => ({ to: [{ ipBlock: { cidr } }] })),
      ],
    },
  };
}

/** A team namespace holds at most `quotaSandboxes` sandboxes at the team's limits. */
export function resourceQuota(namespace: string, limits: SandboxLimits, config: KubernetesConfig): V1ResourceQuota {
  const n = config.quotaSandboxes;
  const requests = resourcesOf(limits, config).requests;
  return {
    apiVersion: 'v1', kind: 'ResourceQuota',
    metadata: { name: RESOURCE_QUOTA, namespace, labels: MANAGED_BY },
    spec: {
      hard: {
        pods: String(n),
        // Workspace, home and, with a project database, its claim.
        persistentvolumeclaims: String(3 * n),
        'limits.cpu': millicpu(limits.cpus * n),
        'limits.memory': mebibytes(limits.memoryMb * n),
        'requests.cpu': millicpu(Number.parseInt(requests.cpu) / 1000 * n),
        'requests.memory': mebibytes(Number.parseInt(requests.memory) * n),
      },
    },
  };
}

/** No container in a team namespace beyond the team's sandbox limits; defaults to them. */
export function limitRange(namespace: string, limits: SandboxLimits, config: KubernetesConfig): V1LimitRange {
  const { limits: max, requests } = resourcesOf(limits, config);
  return {
    apiVersion: 'v1', kind: 'LimitRange',
    metadata: { name: LIMIT_RANGE, namespace, labels: MANAGED_BY },
    spec: { limits: [{ type: 'Container', max, _default: max, defaultRequest: requests }] },
  };
}
