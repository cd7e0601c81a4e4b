import type { V1OwnerReference, V1PersistentVolumeClaim, V1Pod, V1Secret } from '@kubernetes/client-node';
import type { Config } from '../../config';
import { DAEMON_PORT, LABEL, labelsOf } from '../docker/container-spec';
import { daemonSettingsEnv, type SandboxLimits, type SandboxSpec } from '../runtime';
import { DATABASE_PASSWORD_KEY, databaseContainer, databaseVolumes } from './database-objects';

export type KubernetesConfig = Config['kubernetes'];

/** One owner object per sandbox: the Secret holding its daemon token. Deleting it collects the rest. */
export const ownerName = (id: string) => `slipway-${id}`;
export const podName = (id: string) => `slipway-${id}`;
export const workspaceClaim = (id: string) => `slipway-ws-${id}`;
export const homeClaim = (id: string) => `slipway-home-${id}`;
export const TOKEN_KEY = 'token';
export const CONTAINER = 'sandbox';

export { DAEMON_PORT, LABEL, labelsOf };

export const millicpu = (cpus: number) => `${Math.max(1, Math.round(cpus * 1000))}m`;
export const mebibytes = (mb: number) => `${Math.max(1, Math.round(mb))}Mi`;

/** Limits are the team's sandbox limits; requests a fraction of them, so a node can hold many idle sandboxes. */
export function resourcesOf(limits: SandboxLimits, config: KubernetesConfig) {
  return {
    limits: { cpu: millicpu(limits.cpus), memory: mebibytes(limits.memoryMb) },
    requests: { cpu: millicpu(limits.cpus * config.requestFraction), memory: mebibytes(limits.memoryMb * config.requestFraction) },
  };
}

export function ownerSecret(spec: SandboxSpec, namespace: string): V1Secret {
  return {
    apiVersion: 'v1', kind: 'Secret', type: 'Opaque',
    metadata: { name: ownerName(spec.id), namespace, labels: labelsOf(spec) },
    stringData: { [TOKEN_KEY]: spec.token, ...(spec.database ? { [DATABASE_PASSWORD_KEY]: spec.database.password } : {}) },
  };
}

export const ownedBy = (owner: V1Secret): V1OwnerReference[] => [{
  apiVersion: 'v1', kind: 'Secret', name: owner.metadata!.name!, uid: owner.metadata!.uid!, blockOwnerDeletion: true,
}];

export function claim(spec: SandboxSpec, namespace: string, name: string, size: string, config: KubernetesConfig, owner: V1Secret, labels = labelsOf(spec)): V1PersistentVolumeClaim {
  return {
    apiVersion: 'v1', kind: 'PersistentVolumeClaim',
    metadata: { name, namespace, labels, ownerReferences: ownedBy(owner) },
    spec: {
      accessModes: ['ReadWriteOnce'],
      resources: { requests: { storage: size } },
      ...(config.storageClass ? { storageClassName: config.storageClass } : {}),
    },
  };
}

/**
 * The pod every sandbox runs in: the image's non-root user (1000:1000, fsGroup 1000), RuntimeDefault
 * seccomp, no capabilities, no privilege escalation, no service account token, no host namespaces,
 * no service links, the team's limits; the daemon token comes from the owner Secret, never literally.
 * restartPolicy Never: a daemon that dies is seen (the watch) and replaced by the reconciler, on the
 * same claims, with backoff and a diagnosis, as on Docker. A project database is a second container
 * (database-objects.ts) on a claim of its own.
 */
export function sandboxPod(spec: SandboxSpec, namespace: string, config: KubernetesConfig, owner: V1Secret): V1Pod {
  return {
    apiVersion: 'v1', kind: 'Pod',
    metadata: { name: podName(spec.id), namespace, labels: labelsOf(spec), annotations: { [SHAPE]: shapeOf(spec) }, ownerReferences: ownedBy(owner) },
    spec: {
      automountServiceAccountToken: false,
      enableServiceLinks: false,
      hostNetwork: false, hostPID: false, hostIPC: false,
      restartPolicy: 'Never',
      terminationGracePeriodSeconds: 5,
      securityContext: { runAsNonRoot: true, runAsUser: 1000, runAsGroup: 1000, fsGroup: 1000, seccompProfile: { type: 'RuntimeDefault' } },
      ...(config.runtimeClassName ? { runtimeClassName: config.runtimeClassName } : {}),
      ...(Object.keys(config.nodeSelector).length ? { nodeSelector: config.nodeSelector } : {}),
      ...(config.tolerations.length ? { tolerations: config.tolerations } : {}),
      containers: [{
        name: CONTAINER,
        image: spec.image,
        imagePullPolicy: 'IfNotPresent',
        workingDir: '/workspace',
        env: [
          { name: 'SLIPWAY_DAEMON_TOKEN', valueFrom: { secretKeyRef: { name: owner.metadata!.name!, key: TOKEN_KEY } } },
          { name: 'SLIPWAY_DAEMON_PORT', value: String(DAEMON_PORT) },
          { name: 'SLIPWAY_WORKSPACE', value: '/workspace' },
          ...Object.entries(daemonSettingsEnv(spec)).map(([name, value]) => ({ name, value })),
        ],
        ports: [{ name: 'daemon', containerPort: DAEMON_PORT, protocol: 'TCP' }],
        resources: resourcesOf(spec.limits, config),
        securityContext: {
          runAsNonRoot: true, runAsUser: 1000, runAsGroup: 1000, privileged: false,
          allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] }, seccompProfile: { type: 'RuntimeDefault' },
        },
        volumeMounts: [{ name: 'workspace', mountPath: '/workspace' }, { name: 'home', mountPath: '/home/slipway' }],
      }, ...(spec.database ? [databaseContainer(spec.database, resourcesOf({ ...spec.database.limits, pids: 0 }, config), owner.metadata!.name!)] : [])],
      volumes: [
        { name: 'workspace', persistentVolumeClaim: { claimName: workspaceClaim(spec.id) } },
        { name: 'home', persistentVolumeClaim: { claimName: homeClaim(spec.id) } },
        ...(spec.database ? databaseVolumes(spec.id) : []),
      ],
    },
  };
}

/** The image and limits a pod was made for (the API server rewrites quantities, so compare this). */
const SHAPE = 'dev.slipway.shape';
const shapeOf = (spec: SandboxSpec) => JSON.stringify({
  image: spec.image, cpus: spec.limits.cpus, memoryMb: spec.limits.memoryMb,
  ...(spec.database ? { database: { image: spec.database.image, ...spec.database.limits } } : {}),
});

/** Whether a pod still matches the spec (images, limits, database or not); otherwise it is replaced, keeping the claims. */
export const podMatches = (pod: V1Pod, spec: SandboxSpec): boolean => pod.metadata?.annotations?.[SHAPE] === shapeOf(spec);
