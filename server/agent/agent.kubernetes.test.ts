import type { KubeClient } from '../runtime/kubernetes/kube-client';
import type { KubernetesRuntime } from '../runtime/kubernetes/kubernetes-runtime';
import { removeKubernetesInstallation, requireImageInCluster, requireKubernetes, testKubernetesRuntime } from '../testing/kubernetes';
import { ensureSandboxImage } from '../testing/sandbox-image';
import { agentSandboxSuite } from './agent-sandbox.suite';
import { agentHarness, type AgentHarness } from './testing/agent-harness';

describe('agent on Kubernetes (the test cluster, daemon through port-forward)', function () {
  this.timeout(90_000);
  let kube: KubeClient;
  let runtime: KubernetesRuntime | undefined;
  let t: AgentHarness;
  let nextPort = 4100;

  before(async function () {
    this.timeout(20 * 60_000);
    kube = await requireKubernetes(this);
    const image = await ensureSandboxImage();
    await requireImageInCluster(kube, image);
    ({ runtime } = await testKubernetesRuntime());
    t = await agentHarness(runtime, { sandboxImage: image, sandboxLimits: { cpus: 1, memoryMb: 1024, pids: 256 } });
  });
  after(async function () {
    this.timeout(120_000);
    if (!t) return;
    const installation = t.h.s.reconciler!.ctx.installation;
    await t.close();
    await runtime?.close();
    await removeKubernetesInstallation(kube, installation);
  });

  // Ports are the pod's own: any free number will do.
  agentSandboxSuite(() => t, { port: async () => nextPort++ });
});
