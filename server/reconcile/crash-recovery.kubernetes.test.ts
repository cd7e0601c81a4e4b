import { installationObjects, kubernetesProcessFixture, testCluster } from '../testing/kubernetes';
import { crashRecoverySuite } from './crash-recovery.suite';

describe('crash recovery on Kubernetes (server processes killed with SIGKILL; pods, claims and Secrets converge)', function () {
  this.timeout(10 * 60_000);
  crashRecoverySuite(kubernetesProcessFixture, async (installation) => {
    const { pods, secrets, claims } = await installationObjects((await testCluster())!, installation);
    return { pods, secrets, claims };
  });
});
