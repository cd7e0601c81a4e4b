import Docker from 'dockerode';
import { DockerRuntime } from '../runtime/docker/docker-runtime';
import { requireDocker } from '../testing/docker';
import { removeInstallation } from '../testing/docker-cleanup';
import { ensureSandboxImage } from '../testing/sandbox-image';
import { agentSandboxSuite } from './agent-sandbox.suite';
import { agentHarness, type AgentHarness } from './testing/agent-harness';

describe('agent on Docker', function () {
  this.timeout(90_000);
  let t: AgentHarness;
  const docker = new Docker();
  let nextPort = 4100;

  before(async function () {
    this.timeout(20 * 60_000);
    await requireDocker(this);
    const image = await ensureSandboxImage();
    t = await agentHarness(new DockerRuntime(docker), { sandboxImage: image, sandboxLimits: { cpus: 1, memoryMb: 1024, pids: 256 } });
  });
  after(async () => {
    if (!t) return;
    const installation = t.h.s.reconciler!.ctx.installation;
    await t.close();
    await removeInstallation(installation, docker);
  });

  // Ports are the container's own: any free number will do.
  agentSandboxSuite(() => t, { port: async () => nextPort++ });
});
