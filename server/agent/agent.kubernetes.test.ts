import { agentSandboxSuite } from './agent-sandbox.suite';
import { agentOnKubernetes } from './testing/agent-kubernetes';

describe('agent on Kubernetes (the test cluster, daemon through port-forward)', function () {
  this.timeout(90_000);
  const harness = agentOnKubernetes();
  let nextPort = 4100;

  // Ports are the pod's own: any free number will do.
  agentSandboxSuite(() => harness.t, { port: async () => nextPort++ });
});
