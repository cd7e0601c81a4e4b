import { createHash } from 'node:crypto';
import { connect, type Socket } from 'node:net';
import { teamClusterEgressPolicy, type Config } from '../../config';
import type { SecretBox } from '../../crypto/secret-box';
import type { Sql } from '../../db/database';
import type { Logger } from '../../log';
import { allTeamClusters, sandboxCluster, teamCluster, type TeamClusterRow } from '../../teams/team-cluster-store';
import type { Runtime, SandboxDial, SandboxSpec, SandboxStatus, RuntimeListing } from '../runtime';
import { SandboxFailure } from '../runtime';
import { KubernetesRuntime } from './kubernetes-runtime';
import { checkClusterAddress, clusterContext, teamKube } from './team-kubeconfig';

/**
 * The one Runtime the reconciler sees when the server's runtime is Kubernetes: a team that registered
 * its own cluster (PUT /api/teams/:id/cluster) gets its sandboxes there, in its fixed namespace,
 * reached through port-forward; every other sandbox goes to the server's cluster. Each sandbox's row
 * records its cluster when it is created (sandbox-store insertSandbox), and every operation and every
 * connection on it goes to that cluster only, never to a cluster found by the address (pod ranges of
 * two clusters may overlap). A registration cannot change while sandboxes are recorded in it.
 * One KubernetesRuntime per registration (team + a hash of the sealed kubeconfig), made on first use.
 */
export class TeamClustersRuntime implements Runtime {
  readonly kind = 'kubernetes' as const;
  readonly dial: SandboxDial;
  /** Registration key -> its runtime (connecting or connected). */
  private readonly clusters = new Map<string, Promise<KubernetesRuntime>>();
  private readonly listeners = new Set<() => void>();
  private readonly unsubscribe: (() => void)[] = [];
  /** Sandbox id -> the team whose cluster holds it (null: the server's), as recorded; a sandbox never moves. */
  private readonly recorded = new Map<string, string | null>();
  /** Sandboxes without a row (orphans) -> the team cluster that listed them last. */
  private listedIn = new Map<string, string>();

  constructor(readonly base: KubernetesRuntime, private readonly sql: Sql, private readonly secrets: SecretBox, private readonly config: Config, private readonly log: Logger) {
    this.dial = (sandboxId, host, port) => this.dialer(sandboxId, host, port);
  }

  async start(spec: SandboxSpec): Promise<{ address: string }> {
    return (await this.forSandbox(spec.id)).start(spec);
  }
  async stop(id: string): Promise<void> { return (await this.forSandbox(id)).stop(id); }
  async remove(id: string): Promise<void> {
    await (await this.forSandbox(id)).remove(id);
    this.recorded.delete(id);
  }
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
    const listedIn = new Map<string, string>();
    for (const row of await allTeamClusters(this.sql)) {
      try {
        const one = await (await this.runtimeOf(row)).list(installation);
        for (const id of [...one.sandboxes.map((s) => s.id), ...one.workspaces, ...one.databases ?? []]) listedIn.set(id, row.teamId);
        all.sandboxes.push(...one.sandboxes);
        all.workspaces.push(...one.workspaces);
        if (one.databases) (all.databases ??= []).push(...one.databases);
      } catch (error) {
        this.log.warn({ team: row.teamId, server: row.server, err: error }, "a team's own Kubernetes cluster does not answer; its sandboxes are not listed");
      }
    }
    this.listedIn = listedIn;
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

  /** The runtime of the cluster the sandbox's row records (a sandbox without a row: where it was listed, else the server's). */
  private async forSandbox(id: string): Promise<KubernetesRuntime> {
    let team = this.recorded.get(id);
    if (team === undefined) {
      const row = await sandboxCluster(this.sql, id);
      team = row ? row.teamCluster : this.listedIn.get(id) ?? null;
      if (row) this.recorded.set(id, team);
    }
    if (team === null) return this.base;
    const registration = await teamCluster(this.sql, team);
    if (!registration) throw new SandboxFailure("the sandbox's cluster is no longer registered to its team", false);
    return this.runtimeOf(registration);
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
      const policy = teamClusterEgressPolicy(this.config);
      const kube = await teamKube(this.secrets.open(row.kubeconfig, clusterContext(row.teamId)), policy);
      await checkClusterAddress(kube.server, policy);
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

  /** A sandbox's address: through the cluster its row records (whatever other cluster has a pod at that address). */
  private async dialer(sandboxId: string, host: string, port: number): Promise<Socket> {
    const runtime = await this.forSandbox(sandboxId);
    if (runtime.dial) return runtime.dial(sandboxId, host, port);
    return new Promise((resolve, reject) => {
      const socket = connect(port, host);
      socket.once('connect', () => { socket.off('error', reject); resolve(socket); });
      socket.once('error', reject);
    });
  }
}
