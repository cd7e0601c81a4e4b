import { AppError } from '../../errors';
import { isEgressRefusal, type EgressPolicy } from '../../net/egress-policy';
import { checkEgressUrl } from '../../net/guarded-fetch';
import { guardKubeConnections } from './guarded-kube-connections';
import { apiMessage, apiStatus, type KubeClient } from './kube-client';

/** Associated data binding a sealed kubeconfig to its team. */
export const clusterContext = (teamId: string): string => `team-cluster:${teamId}`;

const CHECK_TIMEOUT_MS = 10_000;
const bad = (message: string) => new AppError('bad_request', message);

/**
 * A team's kubeconfig as the server may use it: its current context only, credentials inline
 * (token, client certificate, basic auth). Exec and auth-provider plugins would run commands on
 * the server, file paths would read its files and a proxy would send the traffic elsewhere: refused.
 * Every connection it makes is checked against `policy` at connect time (guardKubeConnections).
 */
export async function teamKube(kubeconfig: string, policy: EgressPolicy): Promise<KubeClient & { server: string; clusterName: string }> {
  const lib = await import('@kubernetes/client-node');
  const kc = new lib.KubeConfig();
  try {
    kc.loadFromString(kubeconfig);
  } catch (error) {
    throw bad(`kubeconfig: not a valid kubeconfig (${(error as Error).message.split('\n')[0]})`);
  }
  const cluster = kc.getCurrentCluster();
  const user = kc.getCurrentUser();
  if (!cluster || !user) throw bad('kubeconfig: its current-context must name a cluster and a user that it defines');
  if (user.exec) throw bad('kubeconfig: the user uses an exec plugin, which would run a command on the server; use a token or a client certificate instead (e.g. a ServiceAccount token)');
  if (user.authProvider) throw bad('kubeconfig: the user uses an auth-provider plugin, which the server does not run; use a token or a client certificate instead');
  if (cluster.caFile || user.certFile || user.keyFile) throw bad('kubeconfig: it refers to files (certificate-authority, client-certificate or client-key); inline them as *-data fields');
  if (cluster.proxyUrl) throw bad('kubeconfig: proxy-url is not supported; the server connects to the API server directly');
  let url: URL;
  try {
    url = new URL(cluster.server);
  } catch {
    throw bad(`kubeconfig: the cluster's server ${JSON.stringify(cluster.server)} is not a URL`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw bad("kubeconfig: the cluster's server must be an https:// URL");
  guardKubeConnections(kc, policy);
  return {
    lib, kc, inCluster: false, server: url.origin, clusterName: cluster.name,
    core: kc.makeApiClient(lib.CoreV1Api), net: kc.makeApiClient(lib.NetworkingV1Api),
  };
}

/** The API server address passes the server's rule for team-supplied endpoints (no loopback, private or link-local unless allowed). */
export async function checkClusterAddress(server: string, policy: EgressPolicy): Promise<void> {
  await checkEgressUrl(server, policy).catch((error: unknown) => {
    if (!isEgressRefusal(error)) throw error;
    throw bad(`kubeconfig: the cluster's server: ${(error as Error).message}; the server administrator can allow it with kubernetes.teamClusterHostAllowList (SLIPWAY_K8S_TEAM_CLUSTER_HOST_ALLOWLIST)`);
  });
}

/** What the runtime does in the namespace (see KubernetesRuntime and SandboxNamespaces in fixed-namespace mode). */
const NEEDED: { resource: string; group?: string; subresource?: string; verbs: string[] }[] = [
  { resource: 'pods', verbs: ['create', 'get', 'list', 'watch', 'delete', 'patch'] },
  { resource: 'pods', subresource: 'portforward', verbs: ['create'] },
  { resource: 'pods', subresource: 'log', verbs: ['get'] },
  { resource: 'secrets', verbs: ['create', 'get', 'list', 'delete', 'patch'] },
  { resource: 'persistentvolumeclaims', verbs: ['create', 'get', 'list', 'delete', 'patch'] },
  { resource: 'networkpolicies', group: 'networking.k8s.io', verbs: ['create', 'update'] },
];

/**
 * Connects (bounded), checks the namespace exists as far as the credentials can tell, and asks the
 * API server (SelfSubjectAccessReview) whether they may do all the runtime does there; a clear 400
 * naming what is missing otherwise.
 */
export async function checkTeamCluster(kube: KubeClient, namespace: string): Promise<void> {
  const auth = kube.kc.makeApiClient(kube.lib.AuthorizationV1Api);
  const bounded = <T>(call: Promise<T>): Promise<T> => Promise.race([call, new Promise<never>((_, reject) => {
    setTimeout(() => reject(bad(`the cluster's API server did not answer within ${CHECK_TIMEOUT_MS / 1000} s`)), CHECK_TIMEOUT_MS).unref();
  })]);
  const unreachable = (error: unknown) => {
    if (error instanceof AppError) return error;
    const status = apiStatus(error);
    if (status === 401) return bad("the cluster's API server refused the credentials (401): the token or certificate is not valid there");
    return bad(`the cluster's API server could not be reached or refused the check: ${status ? `${status} ` : ''}${apiMessage(error)}`);
  };
  // A 404 says plainly it does not exist; credentials limited to the namespace may not read it (403): the rights decide.
  const exists = await bounded(kube.core.readNamespace({ name: namespace })).then(() => true, (error: unknown) => {
    if (apiStatus(error) === 404) throw bad(`the namespace ${namespace} does not exist in that cluster; create it first`);
    if (apiStatus(error) === 403) return undefined;
    throw unreachable(error);
  });
  const checks = NEEDED.flatMap((need) => need.verbs.map((verb) => ({ ...need, verb })));
  const answers = await bounded(Promise.all(checks.map(async (check) => {
    const review = await auth.createSelfSubjectAccessReview({
      body: { spec: { resourceAttributes: { namespace, verb: check.verb, resource: check.resource, ...(check.group && { group: check.group }), ...(check.subresource && { subresource: check.subresource }) } } },
    });
    return { check, allowed: Boolean(review.status?.allowed) };
  }))).catch((error: unknown) => { throw unreachable(error); });
  const missing = answers.filter((a) => !a.allowed).map(({ check }) => `${check.verb} ${check.resource}${check.subresource ? `/${check.subresource}` : ''}`);
  if (missing.length) {
    const where = exists ? `in the namespace ${namespace}` : `in the namespace ${namespace} (or it does not exist)`;
    throw bad(`the credentials may not ${missing.join(', ')} ${where}; grant them a Role there (see k8s/README.md, "A team's own cluster")`);
  }
}
