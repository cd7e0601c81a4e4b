import type { V1Pod, V1Secret } from '@kubernetes/client-node';
import type { Config } from '../../config';
import type { Logger } from '../../log';
import type { Runtime, SandboxDial, SandboxSpec, SandboxStatus, RuntimeListing } from '../runtime';
import { SandboxFailure } from '../runtime';
import { DATABASE_CONTAINER, DATABASE_PASSWORD_KEY, databaseClaim, databaseLabels, databaseReady, databaseState, hasDatabase } from './database-objects';
import { apiMessage, apiStatus, connectKube, created, orMissing, type KubeClient } from './kube-client';
import { progressOf, whyNotRunning } from './pod-diagnosis';
import { PodTunnels } from './pod-tunnels';
import { SandboxNamespaces } from './sandbox-namespaces';
import { LABEL, DAEMON_PORT, CONTAINER, claim, homeClaim, labelsOf, ownerName, ownerSecret, podMatches, podName, sandboxPod, workspaceClaim, type KubernetesConfig } from './sandbox-objects';
import { SandboxPods, hasDied, isDeleting, isRunning, sandboxOf, sandboxRunning } from './sandbox-pods';

const GONE_TIMEOUT_MS = 60_000;

/**
 * Sandboxes as pods with two PersistentVolumeClaims (workspace, home) and a Secret (the daemon
 * token) that owns them, through @kubernetes/client-node. Actual state comes from a watch on the
 * sandbox pods; the daemon is reached at the pod IP inside the cluster, else through port-forward.
 * Stop deletes the pod and keeps the claims; start makes a new pod on them; remove deletes it all.
 */
export class KubernetesRuntime implements Runtime {
  readonly kind = 'kubernetes' as const;
  /** Set when daemons are reached through the API server rather than at pod IPs. */
  readonly dial?: SandboxDial;
  private readonly namespaces: SandboxNamespaces;
  private readonly tunnels?: PodTunnels;
  /** Sandbox id -> its namespace, as found (a sandbox never moves). */
  private readonly homes = new Map<string, string>();

  private constructor(readonly kube: KubeClient, readonly config: KubernetesConfig, readonly pods: SandboxPods, private readonly log: Logger) {
    this.namespaces = new SandboxNamespaces(kube, config);
    const viaApi = config.reach === 'port-forward' || (config.reach === 'auto' && !kube.inCluster);
    if (viaApi) {
      const tunnels = new PodTunnels(kube, pods, log);
      this.tunnels = tunnels;
      this.dial = (sandboxId, host, port) => tunnels.dial(sandboxId, host, port);
    }
  }

  /** The server's cluster (in-cluster config or KUBECONFIG), or the one `given` (a team's own). */
  static async connect(config: Config['kubernetes'], log: Logger, given?: KubeClient): Promise<KubernetesRuntime> {
    const kube = given ?? await connectKube();
    const pods = new SandboxPods(kube, config.namespace, log);
    try {
      await pods.ready();
    } catch (error) {
      await pods.stop();
      throw new Error(`the Kubernetes cluster ${kube.kc.getCurrentCluster()?.server ?? ''} does not answer or refuses to list pods: ${apiMessage(error)}`);
    }
    return new KubernetesRuntime(kube, config, pods, log);
  }

  /** The watch says at once when a sandbox pod dies or goes away (the reconciler heals without waiting for its timer). */
  onChange(listener: () => void): () => void {
    return this.pods.onChange((pod, gone) => { if (gone || hasDied(pod)) listener(); });
  }

  async hasImage(): Promise<boolean> {
    // Nodes pull (or hold) images themselves: a missing one shows as the pod's diagnosis.
    return true;
  }

  async start(spec: SandboxSpec): Promise<{ address: string }> {
    const namespace = (await this.namespaceOf(spec.id)) ?? this.namespaces.for(spec);
    await this.namespaces.prepare(namespace, spec);
    this.homes.set(spec.id, namespace);
    try {
      return await this.startIn(namespace, spec);
    } catch (error) {
      // The namespace went away (or is going) behind our back: prepare it afresh next time.
      if (apiStatus(error) === 404 || /being terminated/.test(apiMessage(error)) || /being terminated/.test((error as Error).message)) {
        this.namespaces.forget(namespace);
        this.homes.delete(spec.id);
      }
      throw error;
    }
  }

  private async startIn(namespace: string, spec: SandboxSpec): Promise<{ address: string }> {
    const owner = await this.ensureOwner(spec, namespace);
    await this.ensureClaims(spec, namespace, owner);
    // The watch knows the pod (a create that finds one anyway reads it): no read before a create.
    let pod = this.pods.get(spec.id);
    for (let attempt = 0; attempt < 2; attempt++) {
      if (pod && (isDeleting(pod) || hasDied(pod) || !podMatches(pod, spec))) {
        // Dead, going, or made for another image or other limits: a new pod on the same claims.
        await this.deletePod(namespace, spec.id);
        pod = undefined;
      }
      if (pod) break;
      const made = await refusals(created(this.kube.core.createNamespacedPod({ namespace, body: sandboxPod(spec, namespace, this.config, owner) })), namespace);
      pod = made ?? await orMissing(this.kube.core.readNamespacedPod({ name: podName(spec.id), namespace }));
      if (made) break;
    }
    const running = await this.untilRunning(spec);
    return { address: `http://${running.status!.podIP!}:${DAEMON_PORT}` };
  }

  async stop(id: string): Promise<void> {
    const namespace = await this.namespaceOf(id);
    if (namespace) await this.deletePod(namespace, id);
  }

  async remove(id: string): Promise<void> {
    const namespace = await this.namespaceOf(id);
    if (!namespace) return;
    const { core } = this.kube;
    // Deleting the owner lets the garbage collector take the rest; deleting them too makes it prompt.
    await orMissing(core.deleteNamespacedSecret({ name: ownerName(id), namespace, propagationPolicy: 'Background' }));
    await this.deletePod(namespace, id, 1);
    await this.dropClaims(namespace, [workspaceClaim(id), homeClaim(id), databaseClaim(id)]);
    this.homes.delete(id);
  }

  /**
   * The database's claim; a pod cannot lose a container, so a pod that still runs the database is
   * deleted too (the sandbox is stopped until the next start). Start without the database first to
   * keep the sandbox running: its new pod no longer holds the claim.
   */
  async removeDatabase(id: string): Promise<void> {
    const namespace = await this.namespaceOf(id);
    if (!namespace) return;
    if (hasDatabase(this.pods.get(id))) await this.deletePod(namespace, id, 1);
    await this.dropClaims(namespace, [databaseClaim(id)]);
  }

  private async dropClaims(namespace: string, names: string[]): Promise<void> {
    const { core } = this.kube;
    await Promise.all(names.map((name) => orMissing(core.deleteNamespacedPersistentVolumeClaim({ name, namespace }))));
    for (const name of names) {
      await this.gone(() => orMissing(core.readNamespacedPersistentVolumeClaim({ name, namespace })), `the claim ${namespace}/${name}`);
    }
  }

  async inspect(id: string): Promise<SandboxStatus> {
    const pod = this.pods.get(id);
    const database = pod && hasDatabase(pod) && !isDeleting(pod) ? { database: databaseState(pod) } : {};
    if (pod && sandboxRunning(pod)) return { id, state: 'running', ...database };
    const exitCode = pod?.status?.containerStatuses?.find((c) => c.name === CONTAINER)?.state?.terminated?.exitCode;
    if (pod && !isDeleting(pod)) return { id, state: 'stopped', ...(exitCode === undefined ? {} : { exitCode }), ...database };
    return { id, state: (await this.namespaceOf(id)) ? 'stopped' : 'missing' };
  }

  async list(installation: string): Promise<RuntimeListing> {
    const labelSelector = `${LABEL.installation}=${installation}`;
    const { core } = this.kube;
    const namespace = this.namespaces.fixed;
    const [claims, owners] = await Promise.all([
      namespace ? core.listNamespacedPersistentVolumeClaim({ namespace, labelSelector }) : core.listPersistentVolumeClaimForAllNamespaces({ labelSelector }),
      namespace ? core.listNamespacedSecret({ namespace, labelSelector }) : core.listSecretForAllNamespaces({ labelSelector }),
    ]);
    const workspaces = new Set<string>();
    for (const item of [...claims.items, ...owners.items]) {
      const id = item.metadata?.labels?.[LABEL.sandbox];
      if (!id || item.metadata?.deletionTimestamp) continue;
      workspaces.add(id);
      this.homes.set(id, item.metadata!.namespace!);
    }
    const pods = this.pods.all().filter((pod) => pod.metadata?.labels?.[LABEL.installation] === installation && !isDeleting(pod));
    const sandboxes = pods.map((pod) => ({
      id: sandboxOf(pod)!, state: sandboxRunning(pod) ? 'running' as const : 'stopped' as const,
      ...(hasDatabase(pod) ? { database: databaseState(pod) } : {}),
    }));
    // A database's claim (labelled with its sandbox) keeps the id among the workspaces until removed.
    return { sandboxes, workspaces: [...workspaces], databases: pods.filter(hasDatabase).map((pod) => sandboxOf(pod)!) };
  }

  async diagnose(id: string): Promise<string> {
    const pod = this.pods.get(id);
    if (!pod) return (await this.namespaceOf(id)) ? 'the sandbox pod is gone (deleted, evicted, or its node went away)' : 'the sandbox does not exist';
    const why = whyNotRunning(pod, Number.POSITIVE_INFINITY) ?? `the sandbox is not running (${progressOf(pod)})`;
    const logs = await this.kube.core.readNamespacedPodLog({ name: pod.metadata!.name!, namespace: pod.metadata!.namespace!, container: CONTAINER, tailLines: 10 })
      .then((text) => String(text).trim(), () => '');
    return `${why}${logs ? `; last output:\n${logs}` : ''}`;
  }

  async diagnoseDatabase(id: string): Promise<string> {
    const pod = this.pods.get(id);
    if (!hasDatabase(pod)) return (await this.namespaceOf(id)) ? 'the database is not running: its sandbox pod is gone or was made without it' : 'the sandbox does not exist';
    const why = whyNotRunning(pod!, Number.POSITIVE_INFINITY, { container: DATABASE_CONTAINER, what: 'database' })
      ?? (databaseReady(pod) ? 'the database is running and accepts connections' : 'the database is running but does not accept connections yet');
    const logs = await this.kube.core.readNamespacedPodLog({ name: pod!.metadata!.name!, namespace: pod!.metadata!.namespace!, container: DATABASE_CONTAINER, tailLines: 10 })
      .then((text) => String(text).trim(), () => '');
    return `${why}${logs ? `; last output:\n${logs}` : ''}`;
  }

  /** A warm sandbox claimed by a project: its objects get the project's and team's labels. */
  async adopt(id: string, labels: SandboxSpec['labels']): Promise<void> {
    const namespace = await this.namespaceOf(id);
    if (!namespace) throw new SandboxFailure('the warm sandbox is gone');
    const body = { metadata: { labels: labelsOf({ id, labels } as SandboxSpec) } };
    const { core } = this.kube;
    const merge = this.kube.lib.setHeaderOptions('Content-Type', this.kube.lib.PatchStrategy.MergePatch);
    await Promise.all([
      core.patchNamespacedPod({ name: podName(id), namespace, body }, merge),
      core.patchNamespacedSecret({ name: ownerName(id), namespace, body }, merge),
      core.patchNamespacedPersistentVolumeClaim({ name: workspaceClaim(id), namespace, body }, merge),
      core.patchNamespacedPersistentVolumeClaim({ name: homeClaim(id), namespace, body }, merge),
    ]);
  }

  async close(): Promise<void> {
    this.tunnels?.close();
    await this.pods.stop();
  }

  /** Where a sandbox's objects are: known, the watched pod's, else its owner Secret's (looked up by label). */
  private async namespaceOf(id: string): Promise<string | undefined> {
    const known = this.homes.get(id) ?? this.pods.get(id)?.metadata?.namespace;
    if (known) return known;
    const fixed = this.namespaces.fixed;
    if (fixed) return fixed;
    // The owner Secret exists as long as anything of the sandbox does (the rest hangs off it).
    const owners = await this.kube.core.listSecretForAllNamespaces({ labelSelector: `${LABEL.sandbox}=${id}` });
    const found = owners.items.find((item) => !item.metadata?.deletionTimestamp)?.metadata?.namespace;
    if (found) this.homes.set(id, found);
    return found;
  }

  private async ensureOwner(spec: SandboxSpec, namespace: string): Promise<V1Secret> {
    const { core } = this.kube;
    const read = () => orMissing(core.readNamespacedSecret({ name: ownerName(spec.id), namespace }));
    for (;;) {
      const made = await refusals(created(core.createNamespacedSecret({ namespace, body: ownerSecret(spec, namespace) })), namespace);
      if (made) return made;
      const existing = await read();
      if (existing && !existing.metadata?.deletionTimestamp) return this.withDatabasePassword(existing, spec, namespace);
      // A removal still going on: wait for it to end, then make a new one.
      if (existing) await this.gone(read, 'the previous owner Secret');
    }
  }

  /** A database turned on after the sandbox was made: its password joins the owner Secret. */
  private async withDatabasePassword(owner: V1Secret, spec: SandboxSpec, namespace: string): Promise<V1Secret> {
    const password = spec.database?.password;
    if (password === undefined || owner.data?.[DATABASE_PASSWORD_KEY] === Buffer.from(password).toString('base64')) return owner;
    const merge = this.kube.lib.setHeaderOptions('Content-Type', this.kube.lib.PatchStrategy.MergePatch);
    return this.kube.core.patchNamespacedSecret({ name: owner.metadata!.name!, namespace, body: { stringData: { [DATABASE_PASSWORD_KEY]: password } } }, merge);
  }

  /** Both claims exist and are bound before the pod is made (the scheduler would back off a second otherwise). */
  private async ensureClaims(spec: SandboxSpec, namespace: string, owner: V1Secret): Promise<void> {
    const { core } = this.kube;
    const wanted: Array<[string, string, Record<string, string>?]> = [[workspaceClaim(spec.id), this.config.workspaceSize], [homeClaim(spec.id), this.config.homeSize]];
    if (spec.database) wanted.push([databaseClaim(spec.id), this.config.databaseSize, databaseLabels(spec)]);
    await Promise.all(wanted.map(async ([name, size, labels]) => {
      let pvc = await refusals(created(core.createNamespacedPersistentVolumeClaim({ namespace, body: claim(spec, namespace, name, size, this.config, owner, labels) })), namespace)
        ?? await orMissing(core.readNamespacedPersistentVolumeClaim({ name, namespace }));
      if (pvc?.metadata?.deletionTimestamp) throw new SandboxFailure(`the sandbox's volume ${name} is being deleted`);
      for (let waited = 0; pvc?.status?.phase !== 'Bound' && waited < 5000; waited += 25) {
        await new Promise((r) => setTimeout(r, 25));
        pvc = await orMissing(core.readNamespacedPersistentVolumeClaim({ name, namespace }));
      }
      // Not bound yet (a WaitForFirstConsumer class binds when the pod is scheduled): the pod waits for it.
    }));
  }

  /** Until the sandbox runs and, with a database, the database accepts connections. */
  private async untilRunning(spec: SandboxSpec): Promise<V1Pod> {
    const { id } = spec;
    const timeoutMs = this.config.readyTimeoutSeconds * 1000;
    const pod = await this.pods.until(id, (pod) => {
      if (pod && isRunning(pod) && (!spec.database || databaseReady(pod))) return pod;
      const why = pod && (whyNotRunning(pod) ?? (spec.database ? whyNotRunning(pod, Date.now(), { container: DATABASE_CONTAINER, what: 'database' }) : undefined));
      if (why) throw new SandboxFailure(why);
      if (pod && isDeleting(pod)) throw new SandboxFailure('the sandbox pod was removed while starting');
      return undefined;
    }, timeoutMs);
    if (!pod) throw new SandboxFailure(`the sandbox pod did not start within ${this.config.readyTimeoutSeconds} s: ${progressOf(this.pods.get(id))}`);
    return pod;
  }

  private async deletePod(namespace: string, id: string, gracePeriodSeconds?: number): Promise<void> {
    await orMissing(this.kube.core.deleteNamespacedPod({ name: podName(id), namespace, ...(gracePeriodSeconds === undefined ? {} : { gracePeriodSeconds }) }));
    await this.gone(() => orMissing(this.kube.core.readNamespacedPod({ name: podName(id), namespace })), `the pod ${namespace}/${podName(id)}`);
  }

  /** Waits (bounded) until an object is really gone. */
  private async gone(read: () => Promise<unknown>, what: string): Promise<void> {
    for (let waited = 0, delay = 25; ; waited += delay, delay = Math.min(250, delay * 2)) {
      if (!(await read())) return;
      if (waited > GONE_TIMEOUT_MS) throw new SandboxFailure(`${what} is still being deleted after ${GONE_TIMEOUT_MS / 1000} s`);
      await new Promise((r) => setTimeout(r, delay));
    }
  }
}

/** A quota or policy refusal from the API server becomes a clear, retryable project error. */
async function refusals<T>(call: Promise<T>, namespace: string): Promise<T> {
  try {
    return await call;
  } catch (error) {
    if (apiStatus(error) === 403 && /exceeded quota/i.test(apiMessage(error))) {
      throw new SandboxFailure(`the team's Kubernetes quota in namespace ${namespace} allows no more sandboxes: ${apiMessage(error)}. Stop or delete another project, or ask an admin to raise it`);
    }
    if (apiStatus(error) === 403 || apiStatus(error) === 422) throw new SandboxFailure(`the cluster refused the sandbox in namespace ${namespace}: ${apiMessage(error)}`);
    throw error;
  }
}
