import type { V1Container, V1Pod, V1ResourceRequirements, V1Volume } from '@kubernetes/client-node';
import { DATABASE_DATA_DIR, DATABASE_READY_COMMAND, DATABASE_UID, databaseServerCommand, databaseServerEnv } from '../database-server';
import { DATABASE_ROLE, ROLE_LABEL } from '../docker/database-container';
import type { ActualState, DatabaseSpec, SandboxSpec } from '../runtime';
import { labelsOf } from '../docker/container-spec';

/** A project's PostgreSQL on Kubernetes: a second container in the sandbox's pod, on a claim of its own. */
export const DATABASE_CONTAINER = 'database';
export const databaseClaim = (id: string) => `slipway-db-${id}`;
/** The `app` password, in the sandbox's owner Secret beside the daemon token. */
export const DATABASE_PASSWORD_KEY = 'database-password';

export const databaseLabels = (spec: SandboxSpec): Record<string, string> => ({ ...labelsOf(spec), [ROLE_LABEL]: DATABASE_ROLE });

/**
 * Listens on the pod's loopback only (the sandbox container's 127.0.0.1:5432; other pods, the
 * server and the node reach nothing: no port is declared and nothing listens on the pod IP).
 * Non-root (999), no capabilities, no privilege escalation, read-only root with an in-memory /tmp,
 * the limits of the spec; ready once pg_isready answers (start waits for that).
 */
export function databaseContainer(database: DatabaseSpec, resources: V1ResourceRequirements, ownerName: string): V1Container {
  const { POSTGRES_PASSWORD: _fromSecret, ...env } = databaseServerEnv(database);
  return {
    name: DATABASE_CONTAINER,
    image: database.image,
    imagePullPolicy: 'IfNotPresent',
    args: databaseServerCommand(database),
    env: [
      ...Object.entries(env).map(([name, value]) => ({ name, value })),
      { name: 'POSTGRES_PASSWORD', valueFrom: { secretKeyRef: { name: ownerName, key: DATABASE_PASSWORD_KEY } } },
    ],
    resources,
    securityContext: {
      runAsNonRoot: true, runAsUser: DATABASE_UID, runAsGroup: DATABASE_UID, privileged: false, readOnlyRootFilesystem: true,
      allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] }, seccompProfile: { type: 'RuntimeDefault' },
    },
    readinessProbe: { exec: { command: DATABASE_READY_COMMAND }, periodSeconds: 1, timeoutSeconds: 5, failureThreshold: 3 },
    volumeMounts: [{ name: 'database', mountPath: DATABASE_DATA_DIR }, { name: 'database-tmp', mountPath: '/tmp' }],
  };
}

export const databaseVolumes = (id: string): V1Volume[] => [
  { name: 'database', persistentVolumeClaim: { claimName: databaseClaim(id) } },
  { name: 'database-tmp', emptyDir: { medium: 'Memory', sizeLimit: '16Mi' } },
];

const statusOf = (pod: V1Pod | undefined) => pod?.status?.containerStatuses?.find((c) => c.name === DATABASE_CONTAINER);
export const hasDatabase = (pod: V1Pod | undefined): boolean => Boolean(pod?.spec?.containers.some((c) => c.name === DATABASE_CONTAINER));
export const databaseReady = (pod: V1Pod | undefined): boolean => Boolean(statusOf(pod)?.ready);
/** The database container's state in a pod that has one. */
export const databaseState = (pod: V1Pod): ActualState => (statusOf(pod)?.state?.running ? 'running' : 'stopped');
