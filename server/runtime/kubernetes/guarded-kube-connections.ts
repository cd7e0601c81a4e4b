import type { AgentOptions } from 'node:https';
import type { KubeConfig } from '@kubernetes/client-node';
import type { EgressPolicy } from '../../net/egress-policy';
import { guardedLookup } from '../../net/guarded-lookup';

type DispatcherOptions = ReturnType<KubeConfig['createDispatcherOptions']>;
/** The two places @kubernetes/client-node makes its connections: an https.Agent (watches, port-forward, exec) and an undici dispatcher (REST). */
interface Connectors {
  createAgent(cluster: unknown, options: AgentOptions): unknown;
  createDispatcherOptions(cluster: unknown, options: AgentOptions): DispatcherOptions;
}

/**
 * Every connection this KubeConfig makes resolves the API server's name through the egress guard at
 * connect time, so a team's cluster address that rebinds after it was checked (DNS rebinding to
 * loopback, the LAN or a metadata address) is refused, not reached. A literal IP cannot rebind: it
 * is checked when the registration is saved and whenever its runtime connects (checkClusterAddress).
 */
export function guardKubeConnections(kc: KubeConfig, policy: EgressPolicy): void {
  const lookup = guardedLookup(policy);
  const self = kc as unknown as Connectors;
  const createAgent = self.createAgent.bind(kc);
  const dispatcherOptions = self.createDispatcherOptions.bind(kc);
  self.createAgent = (cluster, options) => createAgent(cluster, { ...options, lookup });
  self.createDispatcherOptions = (cluster, options) => {
    const made = dispatcherOptions(cluster, options);
    // 'none' would use the process's global dispatcher (unguarded); proxies are refused by teamKube.
    if (made.type === 'none') return { type: 'agent', connect: { keepAlive: true, keepAliveInitialDelay: 30_000, lookup } } as DispatcherOptions;
    if (made.type === 'agent') return { ...made, connect: { ...made.connect, lookup } } as DispatcherOptions;
    throw new Error(`unexpected connection type ${made.type} for a team cluster`);
  };
}
