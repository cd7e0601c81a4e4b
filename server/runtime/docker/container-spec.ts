import type Docker from 'dockerode';
import { daemonSettingsEnv, type SandboxSpec } from '../runtime';

export const LABEL = {
  installation: 'dev.slipway.installation',
  sandbox: 'dev.slipway.sandbox',
  project: 'dev.slipway.project',
  team: 'dev.slipway.team',
} as const;

export const DAEMON_PORT = 7070;
/** Docker's default is 1024. */
export const SANDBOX_CPU_SHARES = 512;
export const containerName = (id: string) => `slipway-${id}`;
export const volumeName = (id: string) => `slipway-ws-${id}`;
/** The sandbox user's home (agent checkpoints, caches, shell history) outlives container replacement too. */
export const homeVolumeName = (id: string) => `slipway-home-${id}`;

export function labelsOf(spec: SandboxSpec): Record<string, string> {
  const labels: Record<string, string> = { [LABEL.installation]: spec.labels.installation, [LABEL.sandbox]: spec.id };
  if (spec.labels.project) labels[LABEL.project] = spec.labels.project;
  if (spec.labels.team) labels[LABEL.team] = spec.labels.team;
  return labels;
}

/**
 * The container every sandbox runs in: the image's non-root user, no capabilities, no privilege
 * escalation, bounded pids/memory/CPU, logs capped, on the sandbox network (no traffic between
 * sandboxes), nothing published. The daemon is reached at the container's address on that network.
 */
export function containerOptions(spec: SandboxSpec, network: string): Docker.ContainerCreateOptions {
  const memory = spec.limits.memoryMb * 1024 * 1024;
  return {
    name: containerName(spec.id),
    Image: spec.image,
    User: '1000:1000',
    WorkingDir: '/workspace',
    Env: [
      `SLIPWAY_DAEMON_TOKEN=${spec.token}`, `SLIPWAY_DAEMON_PORT=${DAEMON_PORT}`, 'SLIPWAY_WORKSPACE=/workspace',
      ...Object.entries(daemonSettingsEnv(spec)).map(([name, value]) => `${name}=${value}`),
    ],
    Labels: labelsOf(spec),
    ExposedPorts: { [`${DAEMON_PORT}/tcp`]: {} },
    HostConfig: {
      Mounts: [
        { Type: 'volume', Source: volumeName(spec.id), Target: '/workspace' },
        { Type: 'volume', Source: homeVolumeName(spec.id), Target: '/home/slipway' },
      ],
      CapDrop: ['ALL'],
      SecurityOpt: ['no-new-privileges'],
      PidsLimit: spec.limits.pids,
      // Half the default weight: under contention the server and the database keep their share.
      CpuShares: SANDBOX_CPU_SHARES,
      Memory: memory,
      MemorySwap: memory,
      NanoCpus: Math.round(spec.limits.cpus * 1e9),
      NetworkMode: network,
      RestartPolicy: { Name: 'no' },
      LogConfig: { Type: 'json-file', Config: { 'max-size': '5m', 'max-file': '2' } },
    },
  };
}
