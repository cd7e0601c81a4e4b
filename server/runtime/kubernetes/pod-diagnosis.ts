import type { V1Pod } from '@kubernetes/client-node';
import { CONTAINER } from './sandbox-objects';

const IMAGE_REASONS = new Set(['ErrImagePull', 'ImagePullBackOff', 'ErrImageNeverPull', 'InvalidImageName', 'ImageInspectError']);

/** The kubelet's word for a Secret or ConfigMap it has not yet seen through its watch: it retries. */
const KUBELET_CACHE_SYNC = /failed to sync (secret|configmap) cache/i;

/** How long a pod may stay unschedulable before that is reported (volumes binding and the like settle first). */
export const UNSCHEDULABLE_GRACE_MS = 3000;

/** Which container of the pod to judge, and what to call it in the message. */
export interface Judged { container: string; what: string }
const SANDBOX: Judged = { container: CONTAINER, what: 'sandbox' };

/**
 * Why a sandbox pod (or one of its other containers, e.g. the project database) is not running, in
 * plain words for the project's status, or undefined when it may still come up (being scheduled,
 * pulling, starting).
 */
export function whyNotRunning(pod: V1Pod, now = Date.now(), judged: Judged = SANDBOX): string | undefined {
  const { what } = judged;
  const container = pod.status?.containerStatuses?.find((c) => c.name === judged.container);
  const image = pod.spec?.containers.find((c) => c.name === judged.container)?.image ?? `the ${what} image`;
  const waiting = container?.state?.waiting;
  if (waiting?.reason && IMAGE_REASONS.has(waiting.reason)) {
    return `the cluster cannot get the ${what} image ${image} (${waiting.reason}): load it into the nodes' container runtime or push it to a registry they can pull from`;
  }
  // The kubelet retries these on its own. One whose config is there but not yet in the kubelet's cache
  // (a Secret in a namespace made a moment ago: "failed to sync secret cache") comes up once the cache
  // syncs; only a config that is missing or wrong is a verdict. The start's own timeout still bounds it.
  if ((waiting?.reason === 'CreateContainerConfigError' || waiting?.reason === 'CreateContainerError') && !KUBELET_CACHE_SYNC.test(waiting.message ?? '')) {
    return `the ${what} container could not be created: ${waiting.message ?? waiting.reason}`;
  }
  if (waiting?.reason === 'CrashLoopBackOff') return `the ${what} keeps crashing${lastExit(pod, judged.container)}`;
  if (pod.status?.reason === 'Evicted') return `the node evicted the sandbox: ${pod.status.message ?? 'it ran short of resources'}`;
  const terminated = container?.state?.terminated;
  if (terminated || pod.status?.phase === 'Failed' || pod.status?.phase === 'Succeeded') {
    if (terminated?.reason === 'OOMKilled') return `the ${what} ran out of memory (its limit is the team's memory limit)`;
    return `the ${what} ${terminated ? `exited with code ${terminated.exitCode}${terminated.reason && terminated.reason !== 'Error' && terminated.reason !== 'Completed' ? ` (${terminated.reason})` : ''}` : `pod failed${pod.status?.message ? `: ${pod.status.message}` : ''}`}`;
  }
  const scheduled = pod.status?.conditions?.find((c) => c.type === 'PodScheduled');
  if (scheduled?.status === 'False' && scheduled.reason === 'Unschedulable') {
    const since = scheduled.lastTransitionTime ? new Date(scheduled.lastTransitionTime).getTime() : now;
    if (now - since >= UNSCHEDULABLE_GRACE_MS || !scheduled.lastTransitionTime) {
      const words = scheduled.message ?? 'the scheduler gave no reason';
      if (/unbound .*PersistentVolumeClaims/.test(words)) return `no volume can be found for the sandbox's claims (is the storage class's provisioner working, or the volume pool used up?): ${words}`;
      return `no node can run the sandbox: ${words}`;
    }
  }
  return undefined;
}

function lastExit(pod: V1Pod, name: string): string {
  const last = pod.status?.containerStatuses?.find((c) => c.name === name)?.lastState?.terminated;
  return last ? ` (last exit code ${last.exitCode}${last.reason ? `, ${last.reason}` : ''})` : '';
}

/** What a pod that is not yet up is doing, for a timeout message. */
export function progressOf(pod: V1Pod | undefined): string {
  if (!pod) return 'no pod exists';
  const waiting = pod.status?.containerStatuses?.find((c) => c.name === CONTAINER)?.state?.waiting;
  if (waiting) return `the container is waiting: ${waiting.reason ?? ''}${waiting.message ? ` (${waiting.message})` : ''}`;
  const pending = pod.status?.conditions?.find((c) => c.status === 'False');
  return `phase ${pod.status?.phase ?? 'unknown'}${pending ? `, ${pending.type}: ${pending.reason ?? ''} ${pending.message ?? ''}`.trimEnd() : ''}`;
}
