import assert from 'node:assert/strict';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { McpConnection } from '../../../server/agent/mcp/mcp-connection';
import { FIXTURE_PATH, fixtureServerSource } from '../../../server/agent/mcp/testing/fixture-bundle';
import { startHttpMcpServer } from '../../../server/agent/mcp/testing/http-mcp-server';
import { DaemonClientError } from '../../../server/daemon-client/daemon-client-error';
import type { TestDaemon } from '../testing/test-daemon';
import { eventually, startTestDaemon } from '../testing/test-daemon';

const alive = (pid: number) => { try { process.kill(pid, 0); return true; } catch { return false; } };
const text = (result: { content: unknown }) => (result.content as { type: string; text?: string }[]).map((c) => c.text ?? '').join('');

describe('daemon mcp', function () {
  this.timeout(30_000);
  let t: TestDaemon;
  const connections: McpConnection[] = [];
  const stdio = (env: Record<string, string> = {}) => ({ type: 'stdio' as const, command: process.execPath, args: [FIXTURE_PATH], env });
  const connect = (spec: ConstructorParameters<typeof McpConnection>[0]['spec']) => {
    const connection = new McpConnection({ name: 'fixture', source: 'workspace', spec }, t.client, () => undefined);
    connections.push(connection);
    return connection;
  };

  beforeEach(async () => {
    t = await startTestDaemon();
    await mkdir(path.join(t.workspace, '.slipway'));
    await writeFile(path.join(t.workspace, FIXTURE_PATH), await fixtureServerSource());
  });
  afterEach(async () => {
    await Promise.all(connections.splice(0).map((c) => c.stop()));
    await t.stop();
  });

  it('runs a stdio server in the workspace and calls its tools through the SDK client', async () => {
    const mcp = connect(stdio());
    await mcp.start();
    assert.equal(mcp.state, 'ready', mcp.error ?? '');
    assert.deepEqual(mcp.tools.map((tool) => tool.name), ['echo', 'huge', 'write_note', 'crash']);
    assert.equal(mcp.tools[0]!.annotations?.readOnlyHint, true);
    const echoed = text(await mcp.call('echo', { text: 'hi' }, new AbortController().signal));
    assert.match(echoed, new RegExp(`^echo: hi \\(pid \\d+, cwd ${t.workspace}`));
    await mcp.call('write_note', { note: 'one' }, new AbortController().signal);
    const pid = Number(/pid (\d+)/.exec(echoed)![1]);
    assert.ok(alive(pid));
    await mcp.stop();
    await eventually(() => !alive(pid), 5000, 'the server process to end with its session');
  });

  it('ends the server when the stream that opened it closes, and refuses other connections\' sessions', async () => {
    const stream = await t.client.connect();
    const opened = await stream.call('mcp.open', { server: stdio() });
    assert.ok(opened.pid && alive(opened.pid));
    const other = await t.client.connect();
    await assert.rejects(other.call('mcp.send', { sessionId: opened.sessionId, message: '{"jsonrpc":"2.0","method":"x"}' }), (e: unknown) => e instanceof DaemonClientError && e.code === 'not_found');
    other.close();
    stream.close();
    await eventually(() => !alive(opened.pid!), 5000, 'the server process to end');
  });

  it('reports a missing command and refuses mcp.open outside the stream', async () => {
    const stream = await t.client.connect();
    await assert.rejects(stream.call('mcp.open', { server: { type: 'stdio', command: 'no-such-mcp-server', args: [] } }), (e: unknown) => e instanceof DaemonClientError && e.code === 'not_found');
    await assert.rejects(t.client.call('mcp.open', { server: stdio() }), (e: unknown) => e instanceof DaemonClientError && e.code === 'bad_request');
    stream.close();
  });

  it('restarts a server that crashes, and says why it went down', async () => {
    const changes: string[] = [];
    const mcp = new McpConnection({ name: 'fixture', source: 'workspace', spec: stdio() }, t.client, () => changes.push(`${mcp.state}:${mcp.error ?? ''}`));
    connections.push(mcp);
    await mcp.start();
    await mcp.call('crash', {}, new AbortController().signal);
    await eventually(() => changes.some((c) => c.startsWith('failed:') && c.includes('exited with code 7') && c.includes('crashing on purpose')), 5000, 'the failure');
    // A call while it restarts waits for it.
    assert.notEqual(mcp.state, 'ready');
    assert.match(text(await mcp.call('echo', { text: 'again' }, new AbortController().signal)), /^echo: again/);
    assert.equal(mcp.restarts, 1);
  });

  it('keeps trying a server that dies at start, with its stderr as the error', async () => {
    const mcp = connect(stdio({ FIXTURE_FAIL_AT_START: '1' }));
    await mcp.start();
    assert.equal(mcp.state, 'failed');
    assert.match(mcp.error ?? '', /exited with code 3: fixture: cannot reach the database/);
    await eventually(() => mcp.restarts >= 1, 5000, 'a restart attempt');
    await assert.rejects(mcp.call('echo', { text: 'x' }, new AbortController().signal), /not running/);
  });

  it('relays to a streamable HTTP server from the daemon (the connection leaves from the sandbox)', async () => {
    const http = await startHttpMcpServer();
    try {
      const mcp = connect({ type: 'http', url: http.url, headers: { authorization: 'Bearer mcp-secret' } });
      await mcp.start();
      assert.equal(mcp.state, 'ready', mcp.error ?? '');
      assert.match(text(await mcp.call('whoami', {}, new AbortController().signal)), /^from .*127\.0\.0\.1 auth=Bearer mcp-secret$/);
    } finally {
      await http.close();
    }
  });

  it('drops a line over the message cap without taking the daemon down', async () => {
    await writeFile(path.join(t.workspace, 'flood.cjs'), 'process.stdout.write("x".repeat(9 * 1024 * 1024) + "\\n"); process.stderr.write("flooded\\n"); setTimeout(() => process.exit(1), 100);');
    const mcp = connect({ type: 'stdio', command: process.execPath, args: ['flood.cjs'] });
    await mcp.start();
    assert.equal(mcp.state, 'failed');
    assert.match(mcp.error ?? '', /was dropped|flooded/);
    assert.equal((await t.client.health()).ok, true);
  });
});
