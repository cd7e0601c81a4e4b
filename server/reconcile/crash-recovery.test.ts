import { installationResources } from '../testing/docker-cleanup';
import { dockerProcessFixture } from '../testing/process-fixture';
import { crashRecoverySuite } from './crash-recovery.suite';

describe('crash recovery (server killed with SIGKILL)', function () {
  this.timeout(10 * 60_000);
  crashRecoverySuite(dockerProcessFixture, async (installation) => {
    const { containers, volumes } = await installationResources(installation);
    return { containers, volumes };
  });
});
