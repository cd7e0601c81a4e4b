import assert from 'node:assert/strict';
import Docker from 'dockerode';
import { containerName } from '../../runtime/docker/container-spec';
import { sandboxOfProject } from '../../reconcile/sandbox-store';
import { waitFor } from '../../testing/wait-for';
import { agentOnDocker } from '../testing/agent-docker';
import { mcpCall, say, step } from '../testing/script-steps';
import { ofType } from '../testing/chat-client';
import { mcpSandboxSuite } from './mcp-sandbox.suite';
import { httpFixtureSource } from './testing/fixture-bundle';
import { startHttpMcpServer } from './testing/http-mcp-server';

describe('MCP servers on Docker', function () {
  this.timeout(120_000);
  const harness = agentOnDocker();
  const suite = mcpSandboxSuite(() => harness.t);
  const send: typeof suite.send = (...args) => suite.send(...args);

  it('reaches an HTTP server from the sandbox\'s network: one in the sandbox works, one on the host is refused', async () => {
    const { t } = harness;
    const projectId = suite.projectId();
    const { s, user } = t.h;
    const daemon = await t.h.daemonOf(projectId);
    const port = 30_000 + Math.floor(Math.random() * 10_000);
    await daemon.writeFile('.slipway/http-fixture.mjs', await httpFixtureSource());
    const started = await daemon.call('exec.start', { command: ['node', '.slipway/http-fixture.mjs'], env: { PORT: String(port) } });
    await waitFor(async () => (await daemon.call('exec.log', { processId: started.processId })).chunks.some((c) => c.data.includes('listening')), { timeoutMs: 15_000, what: 'the HTTP fixture in the sandbox' });
    // The same kind of server on the host, on every address: the sandbox must not reach it.
    const host = await startHttpMcpServer('0.0.0.0');
    try {
      const sandbox = await sandboxOfProject(s.db.sql, projectId);
      const info = await new Docker().getContainer(containerName(sandbox!.id)).inspect();
      const gateway = Object.values(info.NetworkSettings.Networks)[0]?.Gateway;
      assert.ok(gateway, 'the sandbox network has a gateway');
      const hostUrl = host.url.replace('0.0.0.0', gateway);
      // Control: it does answer there, to the host itself.
      assert.ok((await fetch(hostUrl, { method: 'POST', headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream' }, body: '{}' })).status < 500);
      const put = await s.call('PUT', `/api/projects/${projectId}/mcp`, { token: user.token, body: { servers: { inside: { url: `http://127.0.0.1:${port}/mcp`, headers: { Authorization: 'Bearer in-sandbox' } }, onhost: { url: hostUrl } }, disabledTools: [] } });
      assert.equal(put.status, 200, JSON.stringify(put.body));
      const c = await t.client();
      const chatId = await t.chat(c, projectId);
      await send(c, chatId, 'Who am I?', [step(mcpCall('inside', 'whoami', {})), say('Done.')]);
      const result = ofType(c.of(chatId), 'tool_call_result')[0]!;
      assert.equal(result.isError, false, `${result.output}\n${JSON.stringify(ofType(c.of(chatId), 'mcp_status'))}`);
      // The connection came from the sandbox's own loopback: the server did not make it.
      assert.match(result.output, /^from (::ffff:)?127\.0\.0\.1 auth=Bearer in-sandbox$/);
      const status = ofType(c.of(chatId), 'mcp_status').at(-1)!;
      const onhost = status.servers.find((x) => x.name === 'onhost');
      // Refused (and retried meanwhile): never up.
      assert.notEqual(onhost?.state, 'ready', JSON.stringify(onhost));
      assert.equal(onhost?.transport, 'http');
      assert.match(onhost?.error ?? '', new RegExp(`${gateway.replaceAll('.', '\\.')}:\\d+ did not take the message: fetch failed \\((ECONNREFUSED|EHOSTUNREACH|ETIMEDOUT)\\)`));
    } finally {
      await host.close();
      await daemon.call('exec.kill', { processId: started.processId, signal: 'SIGKILL' });
      await s.call('PUT', `/api/projects/${projectId}/mcp`, { token: user.token, body: { servers: {} } });
    }
  });
});
