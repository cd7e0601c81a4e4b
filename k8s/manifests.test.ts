// k8s/ against a real API server (KUBECONFIG; skipped without one unless SLIPWAY_REQUIRE_KUBERNETES):
// every object of both layouts passes server-side dry run (schema, admission, RBAC objects), and the
// one-namespace layout's Role, applied for real, gives the server what the runtime needs in its own
// namespace and nothing anywhere else.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { resourcePath } from '../server/resources';
import { requireKubernetes } from '../server/testing/kubernetes';
import { kubectl } from './testing/kubectl';
import { K8S_DIR, writeTestOverlay, type TestInstall } from './testing/overlay';

type Obj = { kind: string; metadata: { name: string; namespace?: string; labels?: Record<string, string> }; spec?: any };

/** What `kubectl apply -k DIR` would send. */
const build = async (dir: string): Promise<Obj[]> => {
  const { loadAllYaml } = await import('@kubernetes/client-node');
  return loadAllYaml(await kubectl(['kustomize', dir])) as Obj[];
};

type Rule = { apiGroups: string[]; resources: string[]; verbs: string[] };

/**
 * The API calls server/runtime/kubernetes makes, as RBAC (verb, resource): client-node's method names
 * (`createNamespacedPod`, `listSecretForAllNamespaces`, `readNamespacedPodLog`…), the pod informer (list,
 * watch) and port-forward.
 */
function runtimeCalls(): { verb: string; resource: string }[] {
  const dir = resourcePath('server', 'runtime', 'kubernetes');
  const source = readdirSync(dir).filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts')).map((f) => readFileSync(join(dir, f), 'utf8')).join('\n');
  const verbs: Record<string, string> = { create: 'create', read: 'get', list: 'list', delete: 'delete', patch: 'patch', replace: 'update' };
  const plural = (kind: string) => kind === 'PodLog' ? 'pods/log' : kind.toLowerCase().replace(/y$/, 'ie') + 's';
  const calls = [...source.matchAll(/\.(create|read|list|delete|patch|replace)(?:Namespaced)?([A-Z][A-Za-z]*?)(?:ForAllNamespaces)?\(/g)]
    .map(([, verb, kind]) => ({ verb: verbs[verb!]!, resource: plural(kind!) }));
  if (/makeInformer/.test(source)) calls.push({ verb: 'list', resource: 'pods' }, { verb: 'watch', resource: 'pods' });
  if (/PortForward/.test(source)) calls.push({ verb: 'create', resource: 'pods/portforward' });
  return calls;
}

const grants = (rules: Rule[], verb: string, resource: string) => rules.some((r) => r.resources.includes(resource) && r.verbs.includes(verb));
const rulesIn = async (file: string, kind: string, name: string): Promise<Rule[]> => {
  const { loadAllYaml } = await import('@kubernetes/client-node');
  const objects = loadAllYaml(readFileSync(join(K8S_DIR, file), 'utf8')) as (Obj & { rules: Rule[] })[];
  return objects.find((o) => o.kind === kind && o.metadata.name === name)!.rules;
};

describe('k8s/ RBAC against the runtime', function () {
  it("grants every API call the Kubernetes runtime makes (ClusterRole: all of them; one-namespace Role: all but the team namespace's own objects)", async function () {
    const calls = runtimeCalls();
    assert.ok(calls.some((c) => c.resource === 'pods' && c.verb === 'create'), JSON.stringify(calls));
    const clusterRole = [...await rulesIn('rbac-team-namespaces.yaml', 'ClusterRole', 'slipway-sandboxes'), ...await rulesIn('rbac-team-namespaces.yaml', 'ClusterRole', 'slipway-namespaces')];
    const role = await rulesIn('one-namespace/role.yaml', 'Role', 'slipway-sandboxes');
    const teamOnly = new Set(['namespaces', 'serviceaccounts', 'resourcequotas', 'limitranges']);
    // Asking what one may do is every authenticated account's right (Kubernetes' default
    // system:basic-user binding): a team's own kubeconfig is checked that way, needing no grant here.
    const everyone = new Set(['create selfsubjectaccessreviews']);
    for (const { verb, resource } of calls) {
      if (everyone.has(`${verb} ${resource}`)) continue;
      assert.ok(grants(clusterRole, verb, resource), `the ClusterRoles grant ${verb} ${resource}`);
      if (!teamOnly.has(resource)) assert.ok(grants(role, verb, resource), `the one-namespace Role grants ${verb} ${resource}`);
    }
  });
});

describe('k8s/ manifests', function () {
  this.timeout(120_000);
  const installs: TestInstall[] = [];
  const overlay = (oneNamespace: boolean) => {
    const install = writeTestOverlay({ id: `m${randomBytes(3).toString('hex')}`, oneNamespace, secretKey: randomBytes(32).toString('base64'), postgresPassword: 'x' });
    installs.push(install);
    return install;
  };

  before(async function () {
    await requireKubernetes(this);
  });

  after(async function () {
    this.timeout(120_000);
    for (const install of installs) {
      await kubectl(['delete', '-k', install.dir, '--ignore-not-found', '--wait=false']).catch(() => {});
      await kubectl(['delete', 'namespace', install.namespace, '--ignore-not-found']).catch(() => {});
      rmSync(install.dir, { recursive: true, force: true });
    }
  });

  it('k8s/ as shipped builds: two server replicas, non-root, no capabilities, read-only root, probes, PDB, wildcard preview ingress', async function () {
    const objects = await build(K8S_DIR);
    const find = (kind: string, name: string) => objects.find((o) => o.kind === kind && o.metadata.name === name);
    const deployment = find('Deployment', 'slipway-server');
    assert.ok(deployment, objects.map((o) => `${o.kind}/${o.metadata.name}`).join(' '));
    assert.ok(deployment.spec.replicas >= 2);
    const pod = deployment.spec.template.spec;
    assert.equal(pod.serviceAccountName, 'slipway-server');
    assert.equal(pod.securityContext.runAsNonRoot, true);
    assert.equal(pod.securityContext.seccompProfile.type, 'RuntimeDefault');
    // The sandboxes' NetworkPolicy admits exactly this label (server/runtime/kubernetes config serverPodLabels).
    assert.equal(deployment.spec.template.metadata.labels['app.kubernetes.io/name'], 'slipway-server');
    for (const workload of [deployment, find('StatefulSet', 'postgres')!]) {
      for (const c of workload.spec.template.spec.containers) {
        assert.deepEqual(c.securityContext.capabilities.drop, ['ALL'], workload.metadata.name);
        assert.equal(c.securityContext.allowPrivilegeEscalation, false, workload.metadata.name);
        assert.equal(c.securityContext.readOnlyRootFilesystem, true, workload.metadata.name);
        assert.ok(c.readinessProbe && c.livenessProbe, workload.metadata.name);
      }
    }
    const server = pod.containers[0];
    assert.equal(server.readinessProbe.httpGet.path, '/readyz');
    assert.equal(server.livenessProbe.httpGet.path, '/healthz');
    const secretKey = server.env.find((e: { name: string }) => e.name === 'SLIPWAY_SECRET_KEY');
    assert.equal(secretKey.valueFrom.secretKeyRef.name, 'slipway', 'the key comes from a Secret, never a literal');
    const settings = find('ConfigMap', server.envFrom[0].configMapRef.name);
    assert.equal((settings as any).data.SLIPWAY_RUNTIME, 'kubernetes');
    assert.ok((settings as any).data.SLIPWAY_SANDBOX_IMAGE);
    assert.ok(find('PodDisruptionBudget', 'slipway-server'));
    const ingress = find('Ingress', 'slipway') as any;
    const previewDomain = (settings as any).data.SLIPWAY_PREVIEW_DOMAIN;
    assert.ok(ingress.spec.rules.some((r: { host: string }) => r.host === `*.${previewDomain}`), 'the wildcard preview host is routed');
    // One namespace per team needs namespace creation cluster-wide, and nothing cluster-wide beyond the two roles.
    const clusterRoles = objects.filter((o) => o.kind === 'ClusterRole').map((o) => o.metadata.name).sort();
    assert.deepEqual(clusterRoles, ['slipway-namespaces', 'slipway-sandboxes']);
  });

  it('k8s/ (one namespace per team) passes server-side dry run', async function () {
    const install = overlay(false);
    await kubectl(['create', 'namespace', install.namespace]);
    const out = await kubectl(['apply', '-k', install.dir, '--dry-run=server']);
    for (const kind of ['deployment.apps', 'statefulset.apps', 'service', 'poddisruptionbudget.policy', 'ingress.networking.k8s.io', 'clusterrole.rbac.authorization.k8s.io', 'clusterrolebinding.rbac.authorization.k8s.io', 'networkpolicy.networking.k8s.io', 'serviceaccount', 'configmap', 'secret']) {
      assert.match(out, new RegExp(`^${kind.replace(/\./g, '\\.')}/\\S+ (created|configured|unchanged) \\(server dry run\\)$`, 'm'), out);
    }
  });

  it('k8s/ with one-namespace/ passes server-side dry run and creates nothing cluster-wide', async function () {
    const install = overlay(true);
    const objects = await build(install.dir);
    const clusterWide = objects.filter((o) => !o.metadata.namespace && o.kind !== 'Namespace');
    assert.deepEqual(clusterWide.map((o) => `${o.kind}/${o.metadata.name}`), []);
    await kubectl(['create', 'namespace', install.namespace]);
    const out = await kubectl(['apply', '-k', install.dir, '--dry-run=server']);
    assert.match(out, /^role\.rbac\.authorization\.k8s\.io\/\S+ created \(server dry run\)$/m, out);
    assert.match(out, /^rolebinding\.rbac\.authorization\.k8s\.io\/\S+ created \(server dry run\)$/m, out);
  });

  it('one-namespace/: the server account may run sandboxes in its namespace, and do nothing else', async function () {
    const install = overlay(true);
    const objects = await build(install.dir);
    const rbac = objects.filter((o) => ['Namespace', 'ServiceAccount', 'Role', 'RoleBinding'].includes(o.kind));
    await kubectl(['apply', '-f', '-'], { input: JSON.stringify({ apiVersion: 'v1', kind: 'List', items: rbac }) });
    const as = `system:serviceaccount:${install.namespace}:${install.names.serviceAccount}`;
    // `can-i VERB pods/exec` would ask about a pod named exec: subresources go in --subresource.
    const can = async (verb: string, resource: string, ...args: string[]) => {
      const [type, sub] = resource.split('/') as [string, string | undefined];
      const out = await kubectl(['auth', 'can-i', '--as', as, verb, type, ...(sub ? ['--subresource', sub] : []), ...args]).catch((e: Error) => e.message);
      return out.trim().endsWith('yes');
    };
    const ns = ['-n', install.namespace];
    for (const [verb, resource] of [['create', 'pods'], ['watch', 'pods'], ['delete', 'pods'], ['get', 'pods/log'], ['create', 'pods/portforward'],
      ['create', 'secrets'], ['list', 'secrets'], ['patch', 'persistentvolumeclaims'], ['update', 'networkpolicies.networking.k8s.io']] as const) {
      assert.equal(await can(verb, resource, ...ns), true, `${verb} ${resource} in its namespace`);
    }
    for (const [verb, resource, where] of [['create', 'pods/exec', install.namespace], ['create', 'pods', 'default'], ['list', 'secrets', 'kube-system'],
      ['create', 'namespaces', ''], ['create', 'rolebindings.rbac.authorization.k8s.io', install.namespace], ['create', 'deployments.apps', install.namespace],
      ['update', 'serviceaccounts', install.namespace], ['watch', 'secrets', install.namespace], ['delete', 'networkpolicies.networking.k8s.io', install.namespace],
      ['get', 'nodes', '']] as const) {
      assert.equal(await can(verb, resource, ...(where ? ['-n', where] : [])), false, `${verb} ${resource} ${where || 'cluster-wide'} is refused`);
    }
  });
});
