import { createHash } from 'node:crypto';
import { connect, type Socket } from 'node:net';
import { teamClusterEgressPolicy, type Config } from '../../config';
import type { SecretBox } from '../../crypto/secret-box';
import type { Sql } from '../../db/database';
import type { Logger } from '../../log';
import { allTeamClusters, teamCluster, teamOfSandbox, type TeamClusterRow } from '../../teams/team-cluster-store';
import type { Runtime, SandboxSpec, SandboxStatus, RuntimeListing } from '../runtime';
import { SandboxFailure } from '../runtime';
import { KubernetesRuntime } from './kubernetes-runtime';
import { checkClusterAddress, clusterContext, teamKube } from './team-kubeconfig';

/**
 * The one Runtime the reconciler sees when the server's runtime is Kubernetes: a team that registered
 * its own cluster (PUT /api/teams/:id/cluster) gets its sandboxes there, in its fixed namespace,
 * reached through port-forward; every other sandbox goes to the server's cluster. One
 * KubernetesRuntime per registration (team + a hash of the sealed kubeconfig), made on first use;
 * a changed or removed registration applies to sandboxes started afterwards.
 */
export class TeamClustersRuntime implements Runtime {
  readonly kind = 'kubernetes' as const;
  readonly dial: (host: string, port: number) => Promise<Socket>;
  /** Registration key -> its runtime (connecting or connected). */
  private readonly clusters = new Map<string, Promise<KubernetesRuntime>>();
  private readonly listeners = new Set<() => void>();
  private readonly unsubscribe: (() => void)[] = [];

  constructor(readonly base: KubernetesRuntime, private readonly sql: Sql, private readonly secrets: SecretBox, private readonly config: Config, private readonly log: Logger) {
    this.dial = (host, port) => this.dialer(host, port);
  }

  async start(spec: SandboxSpec): Promise<{ address: string }> {
    return (await this.forTeam(spec.labels.team)).start(spec);
  }
  async stop(id: string): Promise<void> { return (await this.forSandbox(id)).stop(id); }
  async remove(id: string): Promise<void> { return (await this.forSandbox(id)).remove(id); }
  async inspect(id: string): Promise<SandboxStatus> { return (await this.forSandbox(id)).inspect(id); }
  async diagnose(id: string): Promise<string> { return (await this.forSandbox(id)).diagnose(id); }
  async removeDatabase(id: string): Promise<void> { const one: Runtime = await this.forSandbox(id); await one.removeDatabase?.(id); }
  async diagnoseDatabase(id: string): Promise<string> { const one: Runtime = await this.forSandbox(id); return one.diagnoseDatabase?.(id) ?? 'this cluster runs no project databases'; }
  hasImage(): Promise<boolean> { return this.base.hasImage(); }

  /** A warm sandbox lives in the server's cluster: a team with its own cluster cannot claim one. */
  async adopt(id: string, labels: SandboxSpec['labels']): Promise<void> {
    if (labels.team && await teamCluster(this.sql, labels.team)) throw new SandboxFailure("the team's sandboxes run in its own cluster, not in the warm pool");
    return this.base.adopt(id, labels);
  }

  /** Every cluster's sandboxes; a team cluster that does not answer is left out (its objects are then neither listed nor collected). */
  async list(installation: string): Promise<RuntimeListing> {
    const all = await this.base.list(installation);
    for (const row of await allTeamClusters(this.sql)) {
      try {
        const one = await (await this.runtimeOf(row)).list(installation);
        all.sandboxes.push(...one.sandboxes);
        all.workspaces.push(...one.workspaces);
        if (one.databases) (all.databases ??= []).push(...one.databases);
      } catch (error) {
        this.log.warn({ team: row.teamId, server: row.server, err: error }, "a team's own Kubernetes cluster does not answer; its sandboxes are not listed");
      }
    }
    return all;
  }

  onChange(listener: () => void): () => void {
    this.listeners.add(listener);
    const off = this.base.onChange(listener);
    return () => { this.listeners.delete(listener); off(); };
  }

  async close(): Promise<void> {
    for (const off of this.unsubscribe) off();
    const made = await Promise.allSettled(this.clusters.values());
    this.clusters.clear();
    await Promise.all(made.map((m) => (m.status === 'fulfilled' ? m.value.close() : undefined)));
    // The base runtime is the caller's (the composition root closes it).
  }

  private async forTeam(team: string | undefined): Promise<KubernetesRuntime> {
    const row = team ? await teamCluster(this.sql, team) : undefined;
    return row ? this.runtimeOf(row) : this.base;
  }

  private async forSandbox(id: string): Promise<KubernetesRuntime> {
    return this.forTeam(await teamOfSandbox(this.sql, id));
  }

  private runtimeOf(row: TeamClusterRow): Promise<KubernetesRuntime> {
    const key = `${row.teamId}:${createHash('sha256').update(row.kubeconfig).digest('hex')}`;
    let made = this.clusters.get(key);
    if (!made) {
      made = this.connectTeam(row);
      this.clusters.set(key, made);
      made.catch(() => this.clusters.delete(key));
      // An older registration of the same team is no longer used: release its watch.
      for (const [other, runtime] of this.clusters) {
        if (other !== key && other.startsWith(`${row.teamId}:`)) {
          this.clusters.delete(other);
          runtime.then((r) => r.close(), () => undefined).catch(() => undefined);
        }
      }
    }
    return made;
  }

  private async connectTeam(row: TeamClusterRow): Promise<KubernetesRuntime> {
    try {
      const kube = await teamKube(this.secrets.open(row.kubeconfig, clusterContext(row.teamId)));
      await checkClusterAddress(kube.server, teamClusterEgressPolicy(this.config));
      const base = this.base.config;
      // Fixed namespace (no namespace creation, no quota), reached through the API server; placement settings are the server cluster's own.
      const config = { ...base, namespace: row.namespace, reach: 'port-forward' as const, storageClass: undefined, runtimeClassName: undefined, nodeSelector: {}, tolerations: [] };
      const runtime = await KubernetesRuntime.connect(config, this.log, kube);
      for (const listener of this.listeners) this.unsubscribe.push(runtime.onChange(listener));
      return runtime;
    } catch (error) {
      throw new SandboxFailure(`the team's own Kubernetes cluster (${row.server}, namespace ${row.namespace}) cannot be used: ${(error as Error).message}`);
    }
  }

  /** A pod address: through the team cluster that has a pod with that IP, else the server's cluster. */
  private async dialer(host: string, port: number): Promise<Socket> {
    for (const made of this.clusters.values()) {
      const runtime = await made.catch(() => undefined);
      if (runtime?.pods.byIp(host)) return runtime.dial!(host, port);
    }
    if (this.base.dial) return this.base.dial(host, port);
    return new Promise((resolve, reject) => {
      const socket = connect(port, host);
      socket.once('connect', () => { socket.off('error', reject); resolve(socket); });
      socket.once('error', reject);
    });
  }
}
