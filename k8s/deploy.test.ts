// The server deployed into a real cluster from k8s/ (KUBECONFIG; skipped without one unless
// SLIPWAY_REQUIRE_KUBERNETES): images built offline and imported, applied through an overlay of the
// test's own (namespace and name suffix, tags, imagePullPolicy Never), reached from the host through the
// Service's ClusterIP. Projects run as pods (SLIPWAY_RUNTIME=kubernetes), one per project, with two
// replicas sharing the work and one of them killed; and in the one-namespace layout, on its namespaced
// Role alone.
import assert from 'node:assert/strict';
import { request } from 'node:http';
import { ChatTestClient, ofType } from '../server/agent/testing/chat-client';
import { startOpenAIScriptServer, type ScriptServer } from '../server/agent/testing/openai-script-server';
import { waitFor } from '../server/testing/wait-for';
import { requireKubernetes } from '../server/testing/kubernetes';
import { kubectl, kubectlJson } from './testing/kubectl';
import { DeployedSlipway, ready } from './testing/deployed-slipway';
import { relayToPods } from './testing/model-relay';

const MODEL_KEY = 'sk-k8s-deploy-test-0123456789';
const APP = `node -e "require('http').createServer((q, r) => r.end('hello from the pod')).listen(3000, '0.0.0.0')"`;

/** GET / through the server with another Host header (what the preview Ingress forwards). */
const viaHost = (base: string, host: string, token: string) => new Promise<{ status: number; body: string }>((resolve, reject) => {
  const url = new URL(base);
  const req = request({ host: url.hostname, port: url.port, path: '/', headers: { host, authorization: `Bearer ${token}` } }, (res) => {
    let body = '';
    res.on('data', (c: Buffer) => (body += c)).on('end', () => resolve({ status: res.statusCode ?? 0, body }));
  });
  req.on('error', reject);
  req.end();
});

describe('k8s/ deployed into the cluster (one namespace per team)', function () {
  this.timeout(300_000);
  let s: DeployedSlipway | undefined;
  let model: ScriptServer | undefined;
  let relay: Awaited<ReturnType<typeof relayToPods>> | undefined;

  before(async function () {
    const kube = await requireKubernetes(this);
    this.timeout(30 * 60_000);
    // The server-wide default model: a scripted OpenAI-wire server on this host, reached from the pods.
    model = await startOpenAIScriptServer([], { apiKey: MODEL_KEY });
    const nodes = await kubectlJson<{ items: { status: { addresses: { type: string; address: string }[] } }[] }>(['get', 'nodes']);
    relay = await relayToPods(model.baseUrl, nodes.items[0]!.status.addresses.find((a) => a.type === 'InternalIP')!.address);
    s = await DeployedSlipway.deploy(kube, {
      oneNamespace: false,
      settings: { SLIPWAY_MODEL_PROVIDER: 'openai', SLIPWAY_MODEL: 'test-model', SLIPWAY_MODEL_BASE_URL: relay.baseUrl },
      secrets: { SLIPWAY_MODEL_API_KEY: MODEL_KEY },
    });
  });

  after(async function () {
    this.timeout(300_000);
    await s?.close();
    await relay?.close();
    await model?.close();
  });

  it('runs two Ready server replicas, non-root with a read-only root file system, as applied', async function () {
    const pods = (await s!.serverPods()).filter(ready);
    assert.equal(pods.length, 2, pods.map((p) => p.metadata.name).join(' '));
    const pod = await kubectlJson<{ spec: any }>(['get', 'pod', '-n', s!.install.namespace, pods[0]!.metadata.name]);
    const container = pod.spec.containers[0];
    assert.equal(pod.spec.securityContext.runAsNonRoot, true);
    assert.equal(container.securityContext.readOnlyRootFilesystem, true);
    assert.deepEqual(container.securityContext.capabilities.drop, ['ALL']);
    const uid = (await kubectl(['exec', '-n', s!.install.namespace, pods[0]!.metadata.name, '--', 'node', '-p', 'process.getuid()'])).trim();
    assert.equal(uid, '1000');
  });

  it('answers through the Service ClusterIP: health, readiness (the database answers), the API', async function () {
    assert.deepEqual((await s!.api('GET', '/healthz')).body, { ok: true });
    assert.deepEqual((await s!.api('GET', '/readyz')).body, { ok: true });
    assert.equal((await s!.api('GET', '/api/me')).status, 401);
  });

  it('signs the administrator in with a token from `kubectl exec … node dist/server.js sign-in-link`', async function () {
    const signInToken = await s!.signIn();
    assert.match(signInToken, /^slp_sit_/);
    const token = s!.token;
    s!.token = '';
    assert.equal((await s!.api('POST', '/api/auth/redeem', { token: signInToken })).status, 401, 'the token is one-time');
    s!.token = token;
  });

  it("gives the server's account the team-namespace runtime's verbs and no more", async function () {
    const as = `system:serviceaccount:${s!.install.namespace}:${s!.install.names.serviceAccount}`;
    const can = async (verb: string, resource: string, ...args: string[]) => {
      const [type, sub] = resource.split('/') as [string, string | undefined];
      return (await kubectl(['auth', 'can-i', '--as', as, verb, type, ...(sub ? ['--subresource', sub] : []), ...args]).catch((e: Error) => e.message)).trim().endsWith('yes');
    };
    for (const [verb, resource] of [['create', 'namespaces'], ['watch', 'pods'], ['create', 'pods'], ['create', 'pods/portforward'], ['update', 'resourcequotas'], ['update', 'limitranges'], ['create', 'networkpolicies.networking.k8s.io']] as const) {
      assert.equal(await can(verb, resource, '-n', 'slipway-team-x'), true, `${verb} ${resource}`);
    }
    for (const [verb, resource] of [['delete', 'namespaces'], ['create', 'pods/exec'], ['create', 'clusterrolebindings.rbac.authorization.k8s.io'],
      ['create', 'rolebindings.rbac.authorization.k8s.io'], ['create', 'deployments.apps'], ['get', 'nodes'], ['update', 'serviceaccounts']] as const) {
      assert.equal(await can(verb, resource, '-n', 'kube-system'), false, `${verb} ${resource} is refused`);
    }
  });

  describe('with the Kubernetes runtime', function () {
    before(function () {
      if (!s?.token) throw new Error('sign-in failed above');
    });

    it('runs each project as exactly one pod whose daemon answers, driven by the replicas under leases', async function () {
      const ids = await Promise.all(['one', 'two', 'three'].map((name) => s!.createProject(`k8s ${name}`)));
      await Promise.all(ids.map((id) => s!.waitStatus(id, 'RUNNING')));
      const replicas = new Set((await s!.serverPods()).map((p) => p.metadata.name));
      for (const id of ids) {
        const holders = [...(s!.leaseHolders.get(id) ?? [])];
        assert.ok(holders.length >= 1 && holders.every((h) => replicas.has(h)), `${id} was driven by a server replica (seen: ${holders.join(' ') || 'none'})`);
        const pods = await s!.projectPods(id);
        assert.equal(pods.length, 1, `one pod for ${id}: ${pods.map((p) => `${p.metadata.namespace}/${p.metadata.name}`).join(' ')}`);
        assert.equal(pods[0]!.metadata.namespace, `slipway-team-${s!.teamId}`);
        assert.ok(ready(pods[0]!), `${pods[0]!.metadata.name} is Ready`);
        await s!.roundTrip(id, `hello from ${id}\n`);
      }
    });

    it('holds a first chat: the agent writes and runs a file and starts an app in the project\'s pod; the file API and the preview host see them', async function () {
      const [projectId] = s!.projects as [string];
      const pod = (await s!.projectPods(projectId))[0]!;
      const c = await ChatTestClient.open(s!.base, s!.token);
      try {
        const { chat } = await c.request<{ chat: { id: string } }>('chats.create', { projectId });
        await c.request('chat.subscribe', { chatId: chat.id, fromSeq: 0 });
        model!.enqueue(
          { reply: [{ toolCall: { name: 'write_file', args: { path: 'chat/hello.txt', content: 'hi from the agent\n' } } }] },
          { reply: [{ toolCall: { name: 'run_command', args: { command: 'cat chat/hello.txt && hostname' } } }] },
          { reply: [{ toolCall: { name: 'run_command', args: { command: APP, background: true, wait_for_port: 3000, timeout_seconds: 30 } } }] },
          { reply: [{ text: 'Done.' }] },
        );
        const { turnId } = await c.request<{ turnId: string }>('chat.send', { chatId: chat.id, text: 'Say hi in a file' });
        const done = await c.done(chat.id, turnId, 60_000);
        assert.equal(done.status, 'completed', JSON.stringify(c.of(chat.id).slice(-3)));
        const results = ofType(c.of(chat.id), 'tool_call_result');
        assert.deepEqual(results.filter((r) => r.isError), [], 'no tool failed');
        // It ran in the project's own pod (the hostname of a pod is its name).
        assert.match(results.find((r) => r.name === 'run_command')!.output, new RegExp(`hi from the agent\\n${pod.metadata.name}`));
      } finally {
        await c.close();
      }
      assert.equal((await s!.api('GET', `/api/projects/${projectId}/files?path=chat/hello.txt`)).body, 'hi from the agent\n');
      // The preview: the app's wildcard host, sent to the Service as the Ingress would.
      const { slug } = (await s!.api('GET', `/api/projects/${projectId}`)).body;
      const page = await viaHost(s!.base, `3000-${slug}.preview.slipway.test`, s!.token);
      assert.deepEqual(page, { status: 200, body: 'hello from the pod' });
    });

    it('keeps working when a replica that did work is deleted: another takes over stop, create and start, still one pod per project', async function () {
      const [first, second] = s!.projects as [string, string];
      // The victim is a replica that did work; after it is gone, the work is someone else's.
      const workers = new Set([...s!.leaseHolders.values()].flatMap((set) => [...set]));
      const victim = (await s!.serverPods()).find((p) => ready(p) && workers.has(p.metadata.name));
      assert.ok(victim, `a Ready replica among those that held leases: ${[...workers].join(' ')}`);
      s!.leaseHolders.clear();
      // Deleted as a node drain or a rollout would (SIGTERM after the preStop pause); work starts once it is gone.
      await kubectl(['delete', 'pod', '-n', s!.install.namespace, victim.metadata.name, '--timeout=90s'], { timeoutMs: 100_000 });
      await waitFor(() => fetch(`http://${victim.status!.podIP}:7777/healthz`, { signal: AbortSignal.timeout(1000) }).then(() => false, () => true),
        { timeoutMs: 60_000, intervalMs: 200, what: `${victim.metadata.name} to stop answering` });
      const stopped = await s!.apiRetrying('POST', `/api/projects/${first}/stop`);
      assert.equal(stopped.status, 202, JSON.stringify(stopped.body));
      const fresh = await s!.createProject('k8s after the kill');
      await Promise.all([s!.waitStatus(first, 'STOPPED'), s!.waitStatus(fresh, 'RUNNING')]);
      assert.equal((await s!.projectPods(first)).length, 0, 'a stopped project has no pod');
      assert.equal((await s!.projectPods(fresh)).length, 1);
      // Another project's workspace still reads (if its pod went away meanwhile, once it is replaced).
      await waitFor(async () => (await s!.apiRetrying('GET', `/api/projects/${second}/files?path=hello.txt`)).body === `hello from ${second}\n`,
        { timeoutMs: 90_000, intervalMs: 1000, what: `${second}'s file` });
      // Starting again gets the workspace back (the claims stayed), in one new pod.
      assert.equal((await s!.apiRetrying('POST', `/api/projects/${first}/start`)).status, 202);
      await s!.waitStatus(first, 'RUNNING');
      assert.equal((await s!.projectPods(first)).length, 1);
      // (A replica that did not start the new pod may answer 503 sandbox_not_running for a moment.)
      await waitFor(async () => (await s!.apiRetrying('GET', `/api/projects/${first}/files?path=hello.txt`)).body === `hello from ${first}\n`,
        { timeoutMs: 60_000, intervalMs: 1000, what: `${first}'s file after the restart` });
      for (const id of [first, fresh]) {
        const holders = [...(s!.leaseHolders.get(id) ?? [])];
        assert.ok(holders.length >= 1 && !holders.includes(victim.metadata.name), `${id} was driven by another replica after the kill (seen: ${holders.join(' ') || 'none'})`);
      }
      // The Deployment replaced the killed replica.
      await waitFor(async () => (await s!.serverPods()).filter(ready).length === 2, { timeoutMs: 120_000, intervalMs: 1000, what: 'two Ready replicas again' });
    });
  });
});

describe('k8s/ with one-namespace/ deployed into the cluster', function () {
  this.timeout(300_000);
  let s: DeployedSlipway | undefined;

  before(async function () {
    const kube = await requireKubernetes(this);
    this.timeout(30 * 60_000);
    s = await DeployedSlipway.deploy(kube, { oneNamespace: true });
    await s.signIn();
  });

  after(async function () {
    this.timeout(300_000);
    await s?.close();
  });

  it("runs a project's pod in the server's namespace on the namespaced Role alone, and deleting it leaves nothing", async function () {
    const id = await s!.createProject('k8s one namespace');
    await s!.waitStatus(id, 'RUNNING');
    const pods = await s!.projectPods(id);
    assert.deepEqual(pods.map((p) => p.metadata.namespace), [s!.install.namespace]);
    await s!.roundTrip(id, 'one namespace\n');
    assert.equal((await s!.api('DELETE', `/api/projects/${id}`)).status, 202);
    await s!.waitStatus(id, 'TERMINATED', 120_000);
    const left = await kubectl(['get', 'pods,secrets,pvc', '-n', s!.install.namespace, '-l', `dev.slipway.project=${id}`, '-o', 'name']);
    assert.equal(left.trim(), '');
  });
});
