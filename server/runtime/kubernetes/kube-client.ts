import { existsSync } from 'node:fs';
import type { CoreV1Api, KubeConfig, NetworkingV1Api } from '@kubernetes/client-node';

export type KubeLib = typeof import('@kubernetes/client-node');

/** The API clients the runtime uses, and whether this process runs inside the cluster. */
export interface KubeClient {
  lib: KubeLib;
  kc: KubeConfig;
  core: CoreV1Api;
  net: NetworkingV1Api;
  inCluster: boolean;
}

const SERVICE_ACCOUNT_TOKEN = '/var/run/secrets/kubernetes.io/serviceaccount/token';

/** True inside a pod with a service account (the in-cluster configuration applies). */
export const runningInCluster = (env: NodeJS.ProcessEnv = process.env): boolean =>
  Boolean(env.KUBERNETES_SERVICE_HOST) && existsSync(SERVICE_ACCOUNT_TOKEN);

/**
 * Loads @kubernetes/client-node on first use (the other runtimes never import it), then the
 * in-cluster configuration inside a pod, else KUBECONFIG or ~/.kube/config.
 */
export async function connectKube(env: NodeJS.ProcessEnv = process.env): Promise<KubeClient> {
  const lib = await import('@kubernetes/client-node');
  const kc = new lib.KubeConfig();
  const inCluster = runningInCluster(env);
  if (inCluster) kc.loadFromCluster();
  else {
    const file = env.KUBECONFIG?.split(':').find((path) => path && existsSync(path)) ?? (env.HOME && existsSync(`${env.HOME}/.kube/config`) ? `${env.HOME}/.kube/config` : undefined);
    if (!file) throw new Error('SLIPWAY_RUNTIME=kubernetes but no cluster is configured: run the server in a pod, or set KUBECONFIG (or write ~/.kube/config)');
    kc.loadFromFile(file);
  }
  if (!kc.getCurrentCluster()) throw new Error('the Kubernetes configuration names no current cluster (kubectl config use-context …)');
  return { lib, kc, core: kc.makeApiClient(lib.CoreV1Api), net: kc.makeApiClient(lib.NetworkingV1Api), inCluster };
}

/** The HTTP status of a failed API call (client-node's ApiException carries it as `code`). */
export const apiStatus = (error: unknown): number | undefined => {
  const code = (error as { code?: unknown }).code;
  return typeof code === 'number' ? code : undefined;
};

/** The API server's own message for a failed call (the Status object's `message`). */
export function apiMessage(error: unknown): string {
  const body = (error as { body?: unknown }).body;
  try {
    const status = (typeof body === 'string' ? JSON.parse(body) : body) as { message?: string } | undefined;
    if (status?.message) return status.message;
  } catch { /* not JSON */ }
  return (error as Error).message?.split('\n')[0] ?? String(error);
}

/** Runs an API call; "not found" becomes undefined. */
export async function orMissing<T>(call: Promise<T>): Promise<T | undefined> {
  try {
    return await call;
  } catch (error) {
    if (apiStatus(error) === 404) return undefined;
    throw error;
  }
}

/** Runs a create; "already exists" is fine (an earlier attempt or another process made it). */
export async function created<T>(call: Promise<T>): Promise<T | undefined> {
  try {
    return await call;
  } catch (error) {
    if (apiStatus(error) === 409) return undefined;
    throw error;
  }
}
