import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '../net/free-port';
import { HostRuntime } from '../runtime/host/host-runtime';
import { removeHostSandboxes } from '../testing/host-sandboxes';
import { ensureDaemonBundle } from '../testing/sandbox-image';
import { agentSandboxSuite } from './agent-sandbox.suite';
import { agentHarness, type AgentHarness } from './testing/agent-harness';

describe('agent on the host runtime', function () {
  this.timeout(60_000);
  let t: AgentHarness;
  const dir = mkdtempSync(join(tmpdir(), 'slipway-agent-host-'));

  before(async function () {
    this.timeout(120_000);
    await ensureDaemonBundle();
    t = await agentHarness(new HostRuntime(dir), { sandboxImage: 'host' });
  });
  after(async () => {
    await t?.close();
    await removeHostSandboxes(dir);
  });

  agentSandboxSuite(() => t, { port: () => freePort() });
});
