import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import type { V1PolicyRule } from '@kubernetes/client-node';
import type { KubeClient } from '../runtime/kubernetes/kube-client';
import type { KubernetesRuntime } from '../runtime/kubernetes/kubernetes-runtime';
import { LABEL } from '../runtime/kubernetes/sandbox-objects';
import { lifecycleHarness, type LifecycleHarness } from '../reconcile/lifecycle.suite';
import { requireImageInCluster, requireKubernetes, stopKubernetesServer, testKubernetesRuntime } from '../testing/kubernetes';
import { ensureSandboxImage } from '../testing/sandbox-image';
import { startTestServer } from '../testing/test-server';
import { waitFor } from '../testing/wait-for';

const LIMITS = { cpus: 1, memoryMb: 512, pids: 256 };
/** What the runtime needs in a team's namespace (and no more). */
const RULES: V1PolicyRule[] = [
  { apiGroups: [''], resources: ['pods'], verbs: ['create', 'get', 'list', 'watch', 'delete', 'patch'] },
  { apiGroups: [''], resources: ['pods/portforward'], verbs: ['create', 'get'] },
  { apiGroups: [''], resources: ['pods/log'], verbs: ['get'] },
  { apiGroups: [''], resources: ['secrets', 'persistentvolumeclaims'], verbs: ['create', 'get', 'list', 'watch', 'delete', 'patch'] },
  { apiGroups: ['networking.k8s.io'], resources: ['networkpolicies'], verbs: ['create', 'update', 'get'] },
];

describe("a team's own Kubernetes cluster (PUT /api/teams/:id/cluster)", function () {
  this.timeout(120_000);
  let kube: KubeClient;
  let runtime: KubernetesRuntime;
  let h: LifecycleHarness;
  const namespace = `slipway-teamcluster-${randomBytes(3).toString('hex')}`;
  let good: string;
  let goodToken: string;
  let weak: string;

  /** A ServiceAccount with a Role in the test namespace, as a kubeconfig (the team's "own cluster"). */
  async function serviceAccountKubeconfig(name: string, rules: V1PolicyRule[]): Promise<{ kubeconfig: string; token: string }> {
    const rbac = kube.kc.makeApiClient(kube.lib.RbacAuthorizationV1Api);
    await kube.core.createNamespacedServiceAccount({ namespace, body: { metadata: { name } } });
    await rbac.createNamespacedRole({ namespace, body: { metadata: { name }, rules } });
    await rbac.createNamespacedRoleBinding({ namespace, body: { metadata: { name }, roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name }, subjects: [{ kind: 'ServiceAccount', name, namespace }] } });
    const issued = await kube.core.createNamespacedServiceAccountToken({ name, namespace, body: { spec: { expirationSeconds: 3600 } } });
    const token = issued.status?.token;
    assert.ok(token, 'a token for the ServiceAccount');
    const cluster = kube.kc.getCurrentCluster()!;
    const kubeconfig: string = JSON.stringify({
      apiVersion: 'v1', kind: 'Config', 'current-context': 'team',
      clusters: [{ name: 'team-cluster', cluster: { server: cluster.server, 'certificate-authority-data': cluster.caData } }],
      users: [{ name, user: { token } }],
      contexts: [{ name: 'team', context: { cluster: 'team-cluster', user: name, namespace } }],
    });
    return { kubeconfig, token };
  }

  before(async function () {
    this.timeout(20 * 60_000);
    kube = await requireKubernetes(this);
    const image = await ensureSandboxImage();
    await requireImageInCluster(kube, image);
    await kube.core.createNamespace({ body: { metadata: { name: namespace, labels: { 'dev.slipway.test': 'team-cluster' } } } });
    ({ kubeconfig: good, token: goodToken } = await serviceAccountKubeconfig('team', RULES));
    ({ kubeconfig: weak } = await serviceAccountKubeconfig('weak', RULES.map((r) => ({ ...r, resources: r.resources!.filter((x) => x !== 'persistentvolumeclaims') }))));
    ({ runtime } = await testKubernetesRuntime());
    // The test cluster's API server is on this machine: the admin allows loopback for teams' clusters.
    h = await lifecycleHarness(runtime, { sandboxImage: image, sandboxLimits: LIMITS, kubernetes: { allowPrivateTeamClusters: true } });
  });
  after(async function () {
    this.timeout(120_000);
    if (!h) return;
    await stopKubernetesServer(kube, h.s, runtime);
    // The namespace takes its claims (and the volumes of the pool) with it.
    await kube.core.deleteNamespace({ name: namespace }).catch(() => undefined);
  });

  const put = (body: unknown, token = h.user.token, teamId = h.user.teamId) => h.s.call('PUT', `/api/teams/${teamId}/cluster`, { token, body });

  it('refuses a kubeconfig that is not one, an exec plugin, file paths, a missing namespace and missing rights, each with a clear 400', async () => {
    const cases: [unknown, RegExp][] = [
      [{ kubeconfig: '{{{ not yaml', namespace }, /not a valid kubeconfig|current-context/],
      [{ kubeconfig: 'apiVersion: v1\nkind: Config\n', namespace }, /current-context must name a cluster and a user/],
      [{ kubeconfig: good.replace(/"user":\{"token":"[^"]+"\}/, '"user":{"exec":{"apiVersion":"client.authentication.k8s.io/v1","command":"/bin/sh","args":["-c","touch /tmp/pwned"]}}'), namespace }, /exec plugin/],
      [{ kubeconfig: good.replace(/"user":\{"token":"[^"]+"\}/, '"user":{"client-certificate":"/etc/passwd","client-key":"/etc/shadow"}'), namespace }, /refers to files/],
      [{ kubeconfig: good, namespace: 'slipway-no-such-namespace' }, /slipway-no-such-namespace.*(does not exist|may not)/],
      [{ kubeconfig: weak, namespace }, /may not create persistentvolumeclaims, get persistentvolumeclaims/],
      [{ kubeconfig: good.replace(/"token":"[^"]+"/, '"token":"not-a-token"'), namespace }, /refused the credentials \(401\)/],
    ];
    for (const [body, message] of cases) {
      const res = await put(body);
      assert.equal(res.status, 400, JSON.stringify(res.body));
      assert.equal(res.body.error.code, 'bad_request');
      assert.match(res.body.error.message, message);
    }
    const huge = await put({ kubeconfig: 'x'.repeat(70 * 1024), namespace });
    assert.equal(huge.status, 422);
    assert.match(huge.body.error.message, /kubeconfig: Too big/);
    assert.equal((await h.s.call('GET', `/api/teams/${h.user.teamId}/cluster`, { token: h.user.token })).body.configured, false, 'nothing was saved');
  });

  it("refuses a loopback API server unless the server's admin allows it", async () => {
    const strict = await startTestServer({ kubernetes: { allowPrivateTeamClusters: false } }, { runtime });
    try {
      const admin = await strict.signUp('strict');
      const res = await strict.call('PUT', `/api/teams/${admin.teamId}/cluster`, { token: admin.token, body: { kubeconfig: good, namespace } });
      assert.equal(res.status, 400);
      assert.match(res.body.error.message, /loopback, private.*teamClusterHostAllowList/);
    } finally {
      await strict.close();
    }
  });

  it('is for team admins only: a member gets 403, an outsider 404', async () => {
    const member = await h.s.signUp('member');
    await h.s.addMember(h.user, h.user.teamId, member);
    const outsider = await h.s.signUp('outsider');
    for (const method of ['GET', 'PUT', 'DELETE']) {
      const body = method === 'PUT' ? { kubeconfig: good, namespace } : undefined;
      assert.equal((await h.s.call(method, `/api/teams/${h.user.teamId}/cluster`, { token: member.token, body })).status, 403, `${method} as a member`);
      assert.equal((await h.s.call(method, `/api/teams/${h.user.teamId}/cluster`, { token: outsider.token, body })).status, 404, `${method} as an outsider`);
    }
  });

  it("runs the team's projects in its namespace, reached through the API server; GET and the database never show the credentials; delete cleans up", async () => {
    const saved = await put({ kubeconfig: good, namespace });
    assert.equal(saved.status, 200, JSON.stringify(saved.body));
    assert.deepEqual({ ...saved.body, updatedAt: undefined }, { configured: true, server: kube.kc.getCurrentCluster()!.server, cluster: 'team-cluster', namespace, updatedAt: undefined });
    const shown = await h.s.call('GET', `/api/teams/${h.user.teamId}/cluster`, { token: h.user.token });
    assert.equal(shown.body.namespace, namespace);
    assert.ok(!JSON.stringify(shown.body).includes(goodToken) && !JSON.stringify(shown.body).includes('certificate-authority'), 'GET shows no credentials');
    const [stored] = await h.s.db.sql<{ kubeconfig: Buffer }[]>`SELECT kubeconfig FROM team_clusters WHERE team_id = ${h.user.teamId}`;
    assert.ok(stored && !stored.kubeconfig.includes(Buffer.from(goodToken)) && !stored.kubeconfig.includes(Buffer.from('apiVersion')), 'the kubeconfig is sealed at rest');
    const audited = await h.s.db.sql<{ detail: unknown }[]>`SELECT detail FROM audit_log WHERE action = 'team.cluster.set'`;
    assert.ok(!JSON.stringify(audited).includes(goodToken));

    const project = await h.create();
    await h.waitStatus(project.id, 'RUNNING', 120_000);
    const pods = await kube.core.listNamespacedPod({ namespace, labelSelector: `${LABEL.project}=${project.id}` });
    const everywhere = await kube.core.listPodForAllNamespaces({ labelSelector: `${LABEL.project}=${project.id}` });
    assert.deepEqual(everywhere.items.map((p) => p.metadata!.namespace), [namespace], "the project's pod is in the team's namespace");
    assert.equal(pods.items.length, 1);
    const written = await h.s.call('PUT', `/api/projects/${project.id}/files?path=hello.txt`, { token: h.user.token, raw: 'from the team cluster', headers: { 'content-type': 'application/octet-stream' } });
    assert.equal(written.status, 200, JSON.stringify(written.body));
    const read = await fetch(`${h.s.url}/api/projects/${project.id}/files?path=hello.txt`, { headers: { authorization: `Bearer ${h.user.token}` } });
    assert.equal(await read.text(), 'from the team cluster', 'the daemon in the team cluster answers through the API');

    assert.equal((await h.s.call('DELETE', `/api/projects/${project.id}`, { token: h.user.token })).status, 202);
    await waitFor(async () => {
      const [left, claims, secrets] = await Promise.all([
        kube.core.listNamespacedPod({ namespace, labelSelector: LABEL.sandbox }),
        kube.core.listNamespacedPersistentVolumeClaim({ namespace, labelSelector: LABEL.sandbox }),
        kube.core.listNamespacedSecret({ namespace, labelSelector: LABEL.sandbox }),
      ]);
      return left.items.length + claims.items.length + secrets.items.length === 0;
    }, { timeoutMs: 90_000, intervalMs: 500, what: "the project's pod, claims and secret gone from the team's namespace" });

    const removed = await removeRegistration(h.user);
    assert.equal(removed.configured, false);
  });

  /** DELETE of a registration, once the sandboxes recorded in it are gone (409 until then). */
  async function removeRegistration(admin: { token: string; teamId: string }): Promise<{ configured: boolean }> {
    return waitFor(async () => {
      const res = await h.s.call('DELETE', `/api/teams/${admin.teamId}/cluster`, { token: admin.token });
      if (res.status === 409) return undefined;
      assert.equal(res.status, 200, JSON.stringify(res.body));
      return res.body;
    }, { timeoutMs: 60_000, intervalMs: 500, what: 'the registration removed once its sandboxes are' });
  }

  it("routes every sandbox by the cluster its row records, even when another team's registration has a pod at the same address; refuses to change a registration in use", async () => {
    // A second team registers the same cluster and namespace under another identity: to the server,
    // both registrations have a pod at every sandbox address there (overlapping pod ranges).
    const other = await h.s.signUp('other');
    const { kubeconfig: otherConfig } = await serviceAccountKubeconfig('other', RULES);
    assert.equal((await put({ kubeconfig: otherConfig, namespace }, other.token, other.teamId)).status, 200);
    const made = await h.s.call('POST', '/api/projects', { token: other.token, body: { teamId: other.teamId, name: 'theirs', template: 'empty' } });
    assert.equal(made.status, 201, JSON.stringify(made.body));
    await waitFor(async () => (await h.s.call('GET', `/api/projects/${made.body.id}`, { token: other.token })).body.status === 'RUNNING', { timeoutMs: 120_000, what: "the other team's project running" });
    // The other registration's identity may no longer port-forward: a connection routed through it fails.
    const rbac = kube.kc.makeApiClient(kube.lib.RbacAuthorizationV1Api);
    await rbac.replaceNamespacedRole({ name: 'other', namespace, body: { metadata: { name: 'other' }, rules: RULES.filter((r) => !r.resources!.includes('pods/portforward')) } });

    assert.equal((await put({ kubeconfig: good, namespace })).status, 200);
    const project = await h.create({ template: 'empty' });
    await h.waitStatus(project.id, 'RUNNING', 120_000);
    const [row] = await h.s.db.sql<{ teamCluster: string | null }[]>`SELECT team_cluster FROM sandboxes WHERE project_id = ${project.id}`;
    assert.equal(row?.teamCluster, h.user.teamId, "the sandbox's row records its team's cluster");
    const written = await h.s.call('PUT', `/api/projects/${project.id}/files?path=mine.txt`, { token: h.user.token, raw: 'mine', headers: { 'content-type': 'application/octet-stream' } });
    assert.equal(written.status, 200, JSON.stringify(written.body));

    // Changing or removing a registration with sandboxes in it would strand their workspaces: 409, naming them.
    for (const [method, body] of [['PUT', { kubeconfig: good, namespace }], ['DELETE', undefined]] as const) {
      const res = await h.s.call(method, `/api/teams/${h.user.teamId}/cluster`, { token: h.user.token, body });
      assert.equal(res.status, 409, `${method}: ${JSON.stringify(res.body)}`);
      assert.match(res.body.error.message, /cannot be (changed|removed) while sandboxes are in that cluster \(the projects "app"\).*Delete those projects first/);
    }
    const theirs = await h.s.call('DELETE', `/api/teams/${other.teamId}/cluster`, { token: other.token });
    assert.equal(theirs.status, 409);
    assert.match(theirs.body.error.message, /"theirs"/);
    assert.equal((await h.s.call('GET', `/api/teams/${h.user.teamId}/cluster`, { token: h.user.token })).body.namespace, namespace, 'the registration is unchanged');

    assert.equal((await h.s.call('DELETE', `/api/projects/${project.id}`, { token: h.user.token })).status, 202);
    assert.equal((await h.s.call('DELETE', `/api/projects/${made.body.id}`, { token: other.token })).status, 202);
    assert.equal((await removeRegistration(h.user)).configured, false);
    assert.equal((await removeRegistration(other)).configured, false);
  });
});

describe("a team's own cluster on a server that does not run Kubernetes", () => {
  it('answers 409 saying why', async () => {
    const s = await startTestServer({}, { runtime: null });
    try {
      const admin = await s.signUp('admin');
      const res = await s.call('PUT', `/api/teams/${admin.teamId}/cluster`, { token: admin.token, body: { kubeconfig: 'apiVersion: v1', namespace: 'team' } });
      assert.equal(res.status, 409);
      assert.match(res.body.error.message, /SLIPWAY_RUNTIME=kubernetes/);
    } finally {
      await s.close();
    }
  });
});
