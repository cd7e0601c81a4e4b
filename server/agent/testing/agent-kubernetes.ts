import type { KubeClient } from '../../runtime/kubernetes/kube-client';
import type { KubernetesRuntime } from '../../runtime/kubernetes/kubernetes-runtime';
import { requireImageInCluster, requireKubernetes, stopKubernetesServer, testKubernetesRuntime } from '../../testing/kubernetes';
import { ensureSandboxImage } from '../../testing/sandbox-image';
import { agentHarness, type AgentHarness } from './agent-harness';

/**
 * In the calling `describe`: an agent harness on the Kubernetes test cluster (sandbox image built
 * and imported, daemons through port-forward), and its installation removed after. Read
 * `harness.t` inside tests.
 */
export function agentOnKubernetes(): { t: AgentHarness } {
  const harness = {} as { t: AgentHarness };
  let kube: KubeClient;
  let runtime: KubernetesRuntime | undefined;
  before(async function () {
    this.timeout(20 * 60_000);
    kube = await requireKubernetes(this);
    const image = await ensureSandboxImage();
    await requireImageInCluster(kube, image);
    ({ runtime } = await testKubernetesRuntime());
    harness.t = await agentHarness(runtime, { sandboxImage: image, sandboxLimits: { cpus: 1, memoryMb: 1024, pids: 256 } });
  });
  after(async function () {
    this.timeout(120_000);
    if (!harness.t) return;
    await stopKubernetesServer(kube, harness.t.h.s, runtime, () => harness.t!.close());
  });
  return harness;
}
