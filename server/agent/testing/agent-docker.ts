import Docker from 'dockerode';
import { DockerRuntime } from '../../runtime/docker/docker-runtime';
import { requireDocker } from '../../testing/docker';
import { removeInstallation } from '../../testing/docker-cleanup';
import { ensureSandboxImage } from '../../testing/sandbox-image';
import { agentHarness, type AgentHarness } from './agent-harness';

/**
 * In the calling `describe`: an agent harness on the real Docker engine (sandbox image built,
 * 1 CPU / 1 GiB / 256 pids), and its installation removed from the engine after. Read `harness.t`
 * inside tests.
 */
export function agentOnDocker(): { t: AgentHarness } {
  const harness = {} as { t: AgentHarness };
  const docker = new Docker();
  before(async function () {
    this.timeout(20 * 60_000);
    await requireDocker(this);
    harness.t = await agentHarness(new DockerRuntime(docker), { sandboxImage: await ensureSandboxImage(), sandboxLimits: { cpus: 1, memoryMb: 1024, pids: 256 } });
  });
  after(async () => {
    if (!harness.t) return;
    const installation = harness.t.h.s.reconciler!.ctx.installation;
    await harness.t.close();
    await removeInstallation(installation, docker);
  });
  return harness;
}
