import { agentOnKubernetes } from '../testing/agent-kubernetes';
import { mcpSandboxSuite } from './mcp-sandbox.suite';

describe('MCP servers on Kubernetes (the test cluster, daemon through port-forward)', function () {
  this.timeout(120_000);
  const harness = agentOnKubernetes();
  mcpSandboxSuite(() => harness.t);
});
