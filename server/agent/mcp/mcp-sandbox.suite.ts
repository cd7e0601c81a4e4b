import assert from 'node:assert/strict';
import { MAX_TOOL_OUTPUT_CHARS } from '../tools/output-cap';
import type { AgentHarness } from '../testing/agent-harness';
import { call, mcpCall, say, step } from '../testing/script-steps';
import { ofType, type ChatTestClient } from '../testing/chat-client';
import type { ScriptTurn } from '../testing/script';
import { FIXTURE_PATH, fixtureServer, fixtureServerSource } from './testing/fixture-bundle';

export interface McpSuite {
  projectId(): string;
  /** Sends a prompt with the model's turns queued, waits for the end; the requests the model got. */
  send(c: ChatTestClient, chatId: string, text: string, turns: ScriptTurn[], mode?: 'plan' | 'act'): Promise<{ done: { status: string }; requests: { tools: { function: { name: string; parameters: unknown } }[] }[] }>;
}

/**
 * MCP servers in a real sandbox of any runtime, called by the real agent loop with a scripted
 * model: the workspace's servers (one that works, one that dies at start), a huge result, bad
 * input, approvals, a crash and its restart, plan mode, the settings' servers and tools turned off.
 */
export function mcpSandboxSuite(get: () => AgentHarness): McpSuite {
  const harness = { get t() { return get(); } };
  let projectId: string;

  before(async function () {
    this.timeout(120_000);
    const { t } = harness;
    projectId = await t.project();
    const daemon = await t.h.daemonOf(projectId);
    await daemon.writeFile(FIXTURE_PATH, await fixtureServerSource(), { createParents: true });
    await daemon.writeFile('.slipway/mcp.json', JSON.stringify({
      // VS Code's shape, comments allowed.
      servers: { fixture: fixtureServer(), broken: fixtureServer({ FIXTURE_FAIL_AT_START: '1' }) },
    }).replace('{', '{ // the project\'s MCP servers\n'));
  });

  const send = async (c: ChatTestClient, chatId: string, text: string, turns: ScriptTurn[], mode: 'plan' | 'act' = 'act') => {
    const { t } = harness;
    const before = t.model.requests.length;
    t.model.enqueue(...turns);
    const { turnId } = await c.request<{ turnId: string }>('chat.send', { chatId, text, mode });
    const done = await c.done(chatId, turnId, 90_000);
    assert.equal(t.model.remaining(), 0, 'the model played every scripted turn');
    return { done, requests: t.model.requests.slice(before).map((r) => r.body as { tools: { function: { name: string; parameters: unknown } }[] }) };
  };

  it('starts the workspace\'s stdio servers in the sandbox, gives their tools to the model, runs and caps them, and shows a failing one', async () => {
    const { t } = harness;
    const c = await t.client();
    const chatId = await t.chat(c, projectId);
    const { done, requests } = await send(c, chatId, 'Use the fixture', [
      step(mcpCall('fixture', 'echo', { text: 'hello' })),
      step(mcpCall('fixture', 'huge', { chars: 300_000 })),
      step(mcpCall('fixture', 'echo', { text: 42 })),
      step(mcpCall('broken', 'echo', { text: 'x' })),
      say('Done.'),
    ]);
    assert.equal(done.status, 'completed');
    const tools = requests[0]!.tools.map((tool) => tool.function);
    const echo = tools.find((tool) => tool.name === 'fixture__echo');
    assert.ok(echo, `fixture__echo offered (got ${tools.map((x) => x.name).join(', ')})`);
    assert.deepEqual((echo.parameters as { required: string[] }).required, ['text']);
    assert.ok(!tools.some((tool) => tool.name.startsWith('broken__')));

    const events = c.of(chatId);
    const [status] = ofType(events, 'mcp_status');
    assert.ok(status, 'the chat hears about the MCP servers');
    const fixture = status.servers.find((s) => s.name === 'fixture');
    assert.equal(fixture?.state, 'ready');
    assert.equal(fixture?.source, 'workspace');
    assert.deepEqual(fixture?.tools.map((tool) => [tool.name, tool.readOnly]), [['fixture__echo', true], ['fixture__huge', true], ['fixture__write_note', false], ['fixture__crash', false]]);
    // It keeps failing (and being retried): never up, its stderr as the error.
    const broken = status.servers.find((s) => s.name === 'broken');
    assert.notEqual(broken?.state, 'ready');
    assert.match(broken?.error ?? '', /exited with code 3: fixture: cannot reach the database/);

    const results = ofType(events, 'tool_call_result');
    // It ran in the sandbox: the workspace is its cwd, and not as root.
    assert.match(results[0]!.output, /^echo: hello \(pid \d+, cwd \/workspace, uid [1-9]\d*\)$/);
    assert.equal(results[0]!.isError, false);
    assert.ok(results[1]!.output.length <= MAX_TOOL_OUTPUT_CHARS + 100, `capped (${results[1]!.output.length})`);
    assert.match(results[1]!.output, /^HEADx+\n\n\[… \d+ characters omitted …\]\n\nx+TAIL$/);
    assert.equal(results[2]!.isError, true);
    assert.match(results[2]!.output, /Invalid input for fixture__echo: .*string/);
    assert.equal(results[3]!.isError, true);
    assert.match(results[3]!.output, /no tool named "broken__echo"/);
  });

  it('asks before a tool its server does not mark read-only, and brings a crashed server back', async () => {
    const { t } = harness;
    const c = await t.client();
    const chatId = await t.chat(c, projectId);
    t.model.enqueue(
      step(mcpCall('fixture', 'write_note', { note: 'approved note' })),
      step(mcpCall('fixture', 'crash', {})),
      // Time for the exit to be noticed; the restart itself the call waits for.
      step(call('run_command', { command: 'sleep 2' })),
      step(mcpCall('fixture', 'echo', { text: 'back' })),
      say('Done.'),
    );
    const { turnId } = await c.request<{ turnId: string }>('chat.send', { chatId, text: 'Write a note, then crash' });
    const ask = await c.waitFor(chatId, (b) => b.type === 'approval_request');
    assert.ok(ask.body.type === 'approval_request' && ask.body.category === 'mcp' && /fixture: write_note/.test(ask.body.summary));
    await c.request('chat.approve', { chatId, approvalId: ask.body.approvalId, approved: true });
    const crash = await c.waitFor(chatId, (b) => b.type === 'approval_request' && b.approvalId !== (ask.body.type === 'approval_request' ? ask.body.approvalId : ''));
    assert.ok(crash.body.type === 'approval_request');
    await c.request('chat.approve', { chatId, approvalId: crash.body.approvalId, approved: true });
    const done = await c.done(chatId, turnId, 90_000);
    assert.equal(done.status, 'completed');
    const daemon = await t.h.daemonOf(projectId);
    assert.equal(await daemon.readText('notes.txt'), 'approved note\n');
    const results = ofType(c.of(chatId), 'tool_call_result');
    assert.match(results.at(-1)!.output, /^echo: back/);
    const statuses = ofType(c.of(chatId), 'mcp_status').map((s) => s.servers.find((x) => x.name === 'fixture'));
    assert.ok(statuses.some((s) => s?.state !== 'ready' && /exited with code 7[\s\S]*crashing on purpose/.test(s?.error ?? '')), 'the crash is shown with its stderr');
    assert.equal(statuses.at(-1)?.state, 'ready');
    assert.ok((statuses.at(-1)?.restarts ?? 0) >= 1);
  });

  it('plan mode runs a read-only MCP tool and refuses the others', async () => {
    const { t } = harness;
    const c = await t.client();
    const chatId = await t.chat(c, projectId);
    await send(c, chatId, 'Plan with the fixture', [step(mcpCall('fixture', 'echo', { text: 'planning' }), mcpCall('fixture', 'write_note', { note: 'too early' })), say('Plan ready.')], 'plan');
    const [echo, note] = ofType(c.of(chatId), 'tool_call_result');
    assert.match(echo!.output, /^echo: planning/);
    assert.equal(note!.isError, true);
    assert.match(note!.output, /not available in plan mode \(it is a mcp tool\)/);
    assert.equal(ofType(c.of(chatId), 'approval_request').length, 0, 'nothing to ask: it was refused');
  });

  it('runs the servers of the project\'s settings too, and leaves out tools turned off', async () => {
    const { t } = harness;
    const { s, user } = t.h;
    const put = await s.call('PUT', `/api/projects/${projectId}/mcp`, { token: user.token, body: { servers: { notes: fixtureServer({ NOTE_KEY: 'sealed' }) }, disabledTools: ['fixture__huge', 'notes__crash'] } });
    assert.equal(put.status, 200, JSON.stringify(put.body));
    const c = await t.client();
    const chatId = await t.chat(c, projectId);
    const { requests } = await send(c, chatId, 'Which tools?', [step(mcpCall('fixture', 'huge', { chars: 10 })), say('Done.')]);
    const names = requests[0]!.tools.map((tool) => tool.function.name);
    assert.ok(names.includes('notes__echo') && names.includes('fixture__echo'));
    assert.ok(!names.includes('fixture__huge') && !names.includes('notes__crash'));
    const refused = ofType(c.of(chatId), 'tool_call_result')[0]!;
    assert.equal(refused.isError, true);
    const status = ofType(c.of(chatId), 'mcp_status').at(-1)!;
    const notes = status.servers.find((x) => x.name === 'notes');
    assert.equal(notes?.source, 'settings');
    assert.equal(notes?.state, 'ready');
    assert.equal(notes?.tools.find((tool) => tool.name === 'notes__crash')?.enabled, false);
    const live = await s.call('GET', `/api/projects/${projectId}/mcp/status`, { token: user.token });
    assert.deepEqual(live.body.servers.map((x: { name: string; state: string }) => [x.name, x.state === 'ready']).sort(), [['broken', false], ['fixture', true], ['notes', true]]);
  });

  it('a server set to auto runs its tools without asking, another still asks, and "always allow" trusts that server alone', async () => {
    const { t } = harness;
    const { s, user } = t.h;
    const settings = () => s.call('GET', `/api/projects/${projectId}/mcp`, { token: user.token });
    const put = await s.call('PUT', `/api/projects/${projectId}/mcp`, { token: user.token, body: { approvals: { fixture: 'auto', notes: 'ask' } } });
    assert.equal(put.status, 200, JSON.stringify(put.body));
    assert.deepEqual(put.body.approvals, { fixture: 'auto' }, '`ask` is the default: not kept');
    try {
      const c = await t.client();
      const chatId = await t.chat(c, projectId);
      t.model.enqueue(
        step(mcpCall('fixture', 'write_note', { note: 'trusted server' })),
        step(mcpCall('notes', 'write_note', { note: 'asked first' })),
        step(mcpCall('notes', 'write_note', { note: 'remembered' })),
        say('Done.'),
      );
      const { turnId } = await c.request<{ turnId: string }>('chat.send', { chatId, text: 'Write notes with both servers' });
      const ask = await c.waitFor(chatId, (b) => b.type === 'approval_request');
      assert.ok(ask.body.type === 'approval_request' && ask.body.tool === 'notes__write_note', JSON.stringify(ask.body));
      await c.request('chat.approve', { chatId, approvalId: ask.body.approvalId, approved: true, remember: true });
      const done = await c.done(chatId, turnId, 90_000);
      assert.equal(done.status, 'completed');
      const asked = ofType(c.of(chatId), 'approval_request').map((a) => a.tool);
      assert.deepEqual(asked, ['notes__write_note'], 'the trusted server\'s tool ran without asking; after "always allow" notes did too');
      assert.match(await (await t.h.daemonOf(projectId)).readText('notes.txt'), /trusted server\nasked first\nremembered\n$/);
      assert.deepEqual((await settings()).body.approvals, { fixture: 'auto', notes: 'auto' });
      const agent = await s.call('GET', `/api/projects/${projectId}/agent`, { token: user.token });
      assert.equal(agent.body.approvals.mcp, 'ask', 'not every MCP server of the project: the category stays ask');
    } finally {
      await s.call('PUT', `/api/projects/${projectId}/mcp`, { token: user.token, body: { approvals: {} } });
    }
  });

  return { projectId: () => projectId, send };
}
