import type Docker from 'dockerode';
import { DATABASE_DATA_DIR, DATABASE_PIDS, DATABASE_UID, databaseServerCommand, databaseServerEnv } from '../database-server';
import type { DatabaseSpec, SandboxSpec } from '../runtime';
import { LABEL, SANDBOX_CPU_SHARES, labelsOf } from './container-spec';

/** Tells a project database's container and volume from the sandbox's (both carry the sandbox's labels). */
export const ROLE_LABEL = 'dev.slipway.role';
export const DATABASE_ROLE = 'database';
/** What the container was made for: the image id, its limits and the sandbox container whose network it joined. */
export const SHAPE_LABEL = 'dev.slipway.shape';

export const databaseContainerName = (id: string) => `slipway-db-${id}`;
export const databaseVolumeName = (id: string) => `slipway-db-${id}`;

export const databaseLabels = (spec: SandboxSpec): Record<string, string> => ({ ...labelsOf(spec), [ROLE_LABEL]: DATABASE_ROLE });
export const isDatabase = (labels: Record<string, string> | undefined): boolean => labels?.[ROLE_LABEL] === DATABASE_ROLE;

export const shapeOf = (database: DatabaseSpec, imageId: string, sandboxContainerId: string): string =>
  JSON.stringify({ image: imageId, cpus: database.limits.cpus, memoryMb: database.limits.memoryMb, netns: sandboxContainerId });

/**
 * A project's PostgreSQL: a second container in the sandbox container's network namespace (it
 * listens on that namespace's loopback; it has no address of its own and publishes nothing), with
 * its own named volume; hardened like the sandbox (non-root, no capabilities, no privilege
 * escalation, read-only root with a small /tmp, bounded pids/memory/CPU, capped logs), stopped with
 * SIGINT (PostgreSQL's fast shutdown: it does not wait for clients to leave).
 */
export function databaseOptions(spec: SandboxSpec & { database: DatabaseSpec }, imageId: string, sandboxContainerId: string): Docker.ContainerCreateOptions {
  const memory = spec.database.limits.memoryMb * 1024 * 1024;
  return {
    name: databaseContainerName(spec.id),
    Image: spec.database.image,
    User: `${DATABASE_UID}:${DATABASE_UID}`,
    Cmd: databaseServerCommand(spec.database),
    Env: Object.entries(databaseServerEnv(spec.database)).map(([name, value]) => `${name}=${value}`),
    Labels: { ...databaseLabels(spec), [SHAPE_LABEL]: shapeOf(spec.database, imageId, sandboxContainerId) },
    StopSignal: 'SIGINT',
    StopTimeout: 10,
    HostConfig: {
      NetworkMode: `container:${sandboxContainerId}`,
      Mounts: [{ Type: 'volume', Source: databaseVolumeName(spec.id), Target: DATABASE_DATA_DIR }],
      ReadonlyRootfs: true,
      Tmpfs: { '/tmp': 'rw,nosuid,nodev,noexec,size=16m' },
      CapDrop: ['ALL'],
      SecurityOpt: ['no-new-privileges'],
      PidsLimit: DATABASE_PIDS,
      CpuShares: SANDBOX_CPU_SHARES,
      Memory: memory,
      MemorySwap: memory,
      NanoCpus: Math.round(spec.database.limits.cpus * 1e9),
      RestartPolicy: { Name: 'no' },
      LogConfig: { Type: 'json-file', Config: { 'max-size': '5m', 'max-file': '2' } },
    },
  };
}

export { LABEL };
