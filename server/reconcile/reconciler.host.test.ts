import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { HostRuntime } from '../runtime/host/host-runtime';
import { removeHostSandboxes } from '../testing/host-sandboxes';
import { ensureDaemonBundle } from '../testing/sandbox-image';
import { lifecycleHarness, lifecycleSuite, type LifecycleHarness } from './lifecycle.suite';

describe('reconciler on the host runtime', function () {
  this.timeout(90_000);
  let h: LifecycleHarness;
  const dir = mkdtempSync(join(tmpdir(), 'slipway-host-sandboxes-'));

  before(async () => {
    await ensureDaemonBundle();
    h = await lifecycleHarness(new HostRuntime(dir), { sandboxImage: 'host' });
  });
  after(async () => {
    await h?.s.close();
    await removeHostSandboxes(dir);
  });

  lifecycleSuite(() => h);
});
