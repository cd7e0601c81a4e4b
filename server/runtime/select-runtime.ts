import { join } from 'node:path';
import { isLoopback, type Config } from '../config';
import type { Logger } from '../log';
import { DockerRuntime } from './docker/docker-runtime';
import { HostRuntime } from './host/host-runtime';
import type { Runtime } from './runtime';

/**
 * `kubernetes` only when asked; `docker` when asked or when its socket answers; otherwise `host`, with a loud warning: it runs
 * the agent's commands on this machine with no isolation, so it is refused on a non-loopback
 * address unless explicitly allowed.
 */
export async function selectRuntime(config: Config, log: Logger): Promise<Runtime> {
  const docker = () => {
    if (!config.sandboxNetwork.firewall) log.warn('sandboxNetwork.firewall is off: sandboxes can reach this host, its LAN and metadata addresses');
    return new DockerRuntime(undefined, { firewall: { enabled: config.sandboxNetwork.firewall, allow: config.sandboxNetwork.allow } });
  };
  if (config.runtime === 'docker') return docker();
  if (config.runtime === 'kubernetes') {
    // Loaded only when asked for: the other runtimes never import @kubernetes/client-node.
    const { KubernetesRuntime } = await import('./kubernetes/kubernetes-runtime');
    const runtime = await KubernetesRuntime.connect(config.kubernetes, log);
    log.info({ namespace: config.kubernetes.namespace ?? `${config.kubernetes.namespacePrefix}team-<team id>`, reach: runtime.dial ? 'port-forward' : 'pod IP' }, 'sandbox runtime: kubernetes');
    return runtime;
  }
  if (config.runtime === 'auto' && (await DockerRuntime.available())) {
    log.info('sandbox runtime: docker');
    return docker();
  }
  if (!isLoopback(config.host) && !config.allowHostRuntime) {
    throw new Error(
      `Docker does not answer and the host runtime (no isolation) is refused while listening on ${config.host}. ` +
      'Start Docker, or set SLIPWAY_ALLOW_HOST_RUNTIME=1 if every user of this server may run commands on it.',
    );
  }
  log.warn(
    '\n  ┌────────────────────────────────────────────────────────────────────┐' +
    '\n  │  WARNING: no Docker. Sandboxes use the HOST runtime: NO ISOLATION.  │' +
    '\n  │  The agent\'s commands run on this machine as this user.             │' +
    '\n  │  Start Docker (or set SLIPWAY_RUNTIME=docker) for real sandboxes.    │' +
    '\n  └────────────────────────────────────────────────────────────────────┘',
  );
  return new HostRuntime(join(config.dataDir, 'sandboxes'));
}
