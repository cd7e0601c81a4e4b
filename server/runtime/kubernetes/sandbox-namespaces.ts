import type { SandboxLimits, SandboxSpec } from '../runtime';
import { SandboxFailure } from '../runtime';
import { apiMessage, apiStatus, created, orMissing, type KubeClient } from './kube-client';
import { LIMIT_RANGE, NETWORK_POLICY, RESOURCE_QUOTA, limitRange, namespaceObject, networkPolicy, resourceQuota } from './isolation-objects';
import type { KubernetesConfig } from './sandbox-objects';

/**
 * Where sandboxes live: one fixed namespace (config), or one per team (`<prefix>team-<team id>`:
 * teams have no slug, and the id never changes), created on demand with its NetworkPolicy and, for a
 * team, a ResourceQuota and LimitRange from the team's limits. Warm-pool sandboxes (no team yet)
 * live in `<prefix>pool` and stay there once claimed.
 */
export class SandboxNamespaces {
  /** Namespace -> the limits its quota was last written for ('' for none), per process. */
  private readonly prepared = new Map<string, Promise<string>>();

  constructor(private readonly kube: KubeClient, private readonly config: KubernetesConfig) {}

  get fixed(): string | undefined {
    return this.config.namespace;
  }

  for(spec: Pick<SandboxSpec, 'labels'>): string {
    if (this.config.namespace) return this.config.namespace;
    return spec.labels.team ? `${this.config.namespacePrefix}team-${spec.labels.team}` : `${this.config.namespacePrefix}pool`;
  }

  /** Forgets what was prepared (the namespace was deleted behind our back). */
  forget(namespace: string): void {
    this.prepared.delete(namespace);
  }

  /** The namespace exists with its isolation objects (written once per process, again when limits change). */
  async prepare(namespace: string, spec: SandboxSpec): Promise<void> {
    const team = !this.config.namespace && spec.labels.team ? spec.labels.team : undefined;
    const key = team ? JSON.stringify(spec.limits) : '';
    const known = this.prepared.get(namespace);
    if (known && (await known.catch(() => undefined)) === key) return;
    const work = this.write(namespace, spec, team).then(() => key);
    this.prepared.set(namespace, work);
    try {
      await work;
    } catch (error) {
      this.prepared.delete(namespace);
      if (apiStatus(error) === 403) throw new SandboxFailure(`the server may not prepare the Kubernetes namespace ${namespace}: ${apiMessage(error)}`);
      throw error;
    }
  }

  private async write(namespace: string, spec: SandboxSpec, team: string | undefined): Promise<void> {
    const { core, net } = this.kube;
    if (!this.config.namespace) {
      const existing = await orMissing(core.readNamespace({ name: namespace }));
      if (existing?.status?.phase === 'Terminating') throw new SandboxFailure(`the Kubernetes namespace ${namespace} is being deleted; try again when it is gone`);
      if (!existing) await created(core.createNamespace({ body: namespaceObject(namespace, spec.labels.installation, team) }));
      await this.serviceAccountReady(namespace);
    }
    await upsert(() => net.createNamespacedNetworkPolicy({ namespace, body: networkPolicy(namespace, this.config) }),
      () => net.replaceNamespacedNetworkPolicy({ name: NETWORK_POLICY, namespace, body: networkPolicy(namespace, this.config) }));
    if (team) await this.writeQuota(namespace, spec.limits);
  }

  private async writeQuota(namespace: string, limits: SandboxLimits): Promise<void> {
    const { core } = this.kube;
    await upsert(() => core.createNamespacedLimitRange({ namespace, body: limitRange(namespace, limits, this.config) }),
      () => core.replaceNamespacedLimitRange({ name: LIMIT_RANGE, namespace, body: limitRange(namespace, limits, this.config) }));
    await upsert(() => core.createNamespacedResourceQuota({ namespace, body: resourceQuota(namespace, limits, this.config) }),
      () => core.replaceNamespacedResourceQuota({ name: RESOURCE_QUOTA, namespace, body: resourceQuota(namespace, limits, this.config) }));
  }

  /** Pods are refused until the namespace's default ServiceAccount exists (~0.1 s after the namespace). */
  private async serviceAccountReady(namespace: string): Promise<void> {
    for (let waited = 0; ; waited += 50) {
      if (await orMissing(this.kube.core.readNamespacedServiceAccount({ name: 'default', namespace }))) return;
      if (waited > 30_000) throw new SandboxFailure(`the Kubernetes namespace ${namespace} has no default ServiceAccount after 30 s (is kube-controller-manager running?)`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }
}

/** Create, or replace what exists (an unconditional update: these objects are Slipway's own). */
async function upsert(create: () => Promise<unknown>, replace: () => Promise<unknown>): Promise<void> {
  try {
    await create();
  } catch (error) {
    if (apiStatus(error) !== 409) throw error;
    await replace();
  }
}
