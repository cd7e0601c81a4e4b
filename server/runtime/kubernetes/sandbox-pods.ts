import type { Informer, ObjectCache, V1Pod } from '@kubernetes/client-node';
import type { Logger } from '../../log';
import type { KubeClient } from './kube-client';
import { CONTAINER, LABEL } from './sandbox-objects';

export const sandboxOf = (pod: V1Pod): string | undefined => pod.metadata?.labels?.[LABEL.sandbox];
export const isDeleting = (pod: V1Pod): boolean => Boolean(pod.metadata?.deletionTimestamp);
/** The daemon's container runs (the pod has its IP); Pending, finished and deleting pods are not running. */
export const isRunning = (pod: V1Pod): boolean =>
  !isDeleting(pod) && pod.status?.phase === 'Running' && Boolean(pod.status.podIP) &&
  Boolean(pod.status.containerStatuses?.every((c) => c.state?.running));
/** The sandbox's own container runs; another container of its pod (the project database) may not. */
export const sandboxRunning = (pod: V1Pod): boolean =>
  !isDeleting(pod) && pod.status?.phase === 'Running' && Boolean(pod.status.podIP) &&
  Boolean(pod.status.containerStatuses?.find((c) => c.name === CONTAINER)?.state?.running);
/** A pod that died: its container ended, it failed, or it is going away. */
export const hasDied = (pod: V1Pod): boolean =>
  isDeleting(pod) || pod.status?.phase === 'Failed' || pod.status?.phase === 'Succeeded' ||
  Boolean(pod.status?.containerStatuses?.some((c) => c.state?.terminated));

/**
 * Actual state from a watch on every sandbox pod (the label `dev.slipway.sandbox`), in one
 * namespace or all: an informer keeps the cache current, and listeners hear every change at once.
 * A broken watch is started again (the informer lists afresh, so nothing is missed).
 */
export class SandboxPods {
  private readonly informer: Informer<V1Pod> & ObjectCache<V1Pod>;
  private readonly byId = new Map<string, V1Pod>();
  private readonly listeners = new Set<(pod: V1Pod, gone: boolean) => void>();
  private readonly started: Promise<void>;
  private stopped = false;

  constructor(kube: KubeClient, namespace: string | undefined, private readonly log: Logger) {
    const labelSelector = LABEL.sandbox;
    const path = namespace ? `/api/v1/namespaces/${namespace}/pods` : '/api/v1/pods';
    const list = () => namespace ? kube.core.listNamespacedPod({ namespace, labelSelector }) : kube.core.listPodForAllNamespaces({ labelSelector });
    this.informer = kube.lib.makeInformer<V1Pod>(kube.kc, path, list, labelSelector);
    const seen = (gone: boolean) => (pod: V1Pod) => {
      const id = sandboxOf(pod);
      if (!id) return;
      if (gone) {
        if (this.byId.get(id)?.metadata?.uid === pod.metadata?.uid) this.byId.delete(id);
      } else this.byId.set(id, pod);
      for (const listener of this.listeners) listener(pod, gone);
    };
    this.informer.on('add', seen(false));
    this.informer.on('update', seen(false));
    this.informer.on('delete', seen(true));
    this.informer.on('error', (err: unknown) => {
      if (this.stopped) return;
      this.log.warn({ err }, 'the sandbox pod watch failed; starting it again');
      setTimeout(() => { if (!this.stopped) this.informer.start().catch(() => {}); }, 1000).unref();
    });
    this.started = this.informer.start();
  }

  /** Resolves once the first list is in the cache. */
  ready(): Promise<void> {
    return this.started;
  }

  get(id: string): V1Pod | undefined {
    return this.byId.get(id);
  }

  all(): V1Pod[] {
    return [...this.byId.values()];
  }

  onChange(listener: (pod: V1Pod, gone: boolean) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /**
   * Waits until `check` returns a value for the sandbox's pod (called with undefined when there is
   * none), re-checking on every change of it; undefined after the timeout.
   */
  async until<T>(id: string, check: (pod: V1Pod | undefined) => T | undefined, timeoutMs: number): Promise<T | undefined> {
    const now = check(this.get(id));
    if (now !== undefined) return now;
    return new Promise<T | undefined>((resolve, reject) => {
      const finish = (value: T | undefined, error?: unknown) => {
        clearTimeout(timer);
        clearInterval(tick);
        off();
        if (error) reject(error); else resolve(value);
      };
      const test = () => {
        try {
          const value = check(this.get(id));
          if (value !== undefined) finish(value);
        } catch (error) {
          finish(undefined, error);
        }
      };
      const off = this.onChange((pod) => { if (sandboxOf(pod) === id) test(); });
      // Conditions that depend on time (how long a pod has been unschedulable) are checked each second too.
      const tick = setInterval(test, 1000);
      const timer = setTimeout(() => finish(undefined), timeoutMs);
    });
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await this.informer.stop();
  }
}
