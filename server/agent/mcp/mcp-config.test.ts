import assert from 'node:assert/strict';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Tool } from '@modelcontextprotocol/sdk/types.js';
import { MCP_CONFIG_PATH } from '../../../protocol/mcp';
import { startTestDaemon, type TestDaemon } from '../../../sandbox-image/daemon/testing/test-daemon';
import type { ToolContext } from '../tools/tool';
import { loadMcpConfig } from './mcp-config';
import type { McpConnection } from './mcp-connection';
import { MAX_MCP_TOOLS, mcpTools, namespacedName } from './mcp-tools';

describe('MCP config and tools', () => {
  let t: TestDaemon;
  const none = { servers: {}, disabledTools: [], approvals: {} };
  const file = (text: string) => writeFile(path.join(t.workspace, MCP_CONFIG_PATH), text);
  before(async () => {
    t = await startTestDaemon();
    await mkdir(path.join(t.workspace, '.slipway'));
  });
  after(async () => t.stop());

  it('reads .slipway/mcp.json (comments and trailing commas allowed); the settings win on a name', async () => {
    assert.deepEqual(await loadMcpConfig(t.client, none), { servers: [], configError: null });
    await file('{\n  // mine\n  "servers": {\n    "a": { "type": "stdio", "command": "node", "args": ["a.js"], },\n    "b": { "url": "https://mcp.example.com/mcp" },\n  },\n  "inputs": [],\n}');
    const config = await loadMcpConfig(t.client, { servers: { b: { command: 'other', args: [], env: { K: 'v' } } }, disabledTools: [], approvals: {} });
    assert.equal(config.configError, null);
    assert.deepEqual(config.servers.map((s) => [s.name, s.source, s.spec.type]), [['a', 'workspace', 'stdio'], ['b', 'settings', 'stdio']]);
    assert.deepEqual(config.servers[0]!.spec, { type: 'stdio', command: 'node', args: ['a.js'], env: {} });
  });

  it('says what is wrong with a bad file and still runs the settings\' servers', async () => {
    const settings = { servers: { s: { url: 'http://127.0.0.1:1/mcp', headers: {} } }, disabledTools: [], approvals: {} };
    const cases: [string, RegExp][] = [
      ['{ "servers": ', /not valid JSON/],
      ['{ "servers": { "bad name": { "command": "x" } } }', /servers\.bad name/],
      ['{ "servers": { "x": { "command": "x", "url": "http://h" } } }', /servers\.x/],
      ['{ "servers": { "x": { "url": "ftp://h" } } }', /servers\.x/],
      [`{ "servers": {}, "pad": "${'x'.repeat(70 * 1024)}" }`, /over 64 KiB/],
    ];
    for (const [text, error] of cases) {
      await file(text);
      const config = await loadMcpConfig(t.client, settings);
      assert.match(config.configError ?? '', error, text.slice(0, 80));
      assert.deepEqual(config.servers.map((s) => s.name), ['s']);
    }
  });

  it('names tools server__tool in the characters providers accept, validates input by the schema, and leaves out what is off or broken', async () => {
    assert.equal(namespacedName('gh', 'issues.list/all'), 'gh__issues_list_all');
    assert.equal(namespacedName('s', 'x'.repeat(100)).length, 64);
    const tool = (name: string, inputSchema: Record<string, unknown>, readOnly = false): Tool => ({ name, inputSchema: inputSchema as Tool['inputSchema'], ...(readOnly && { annotations: { readOnlyHint: true } }) });
    const calls: unknown[] = [];
    const connection = {
      state: 'ready', offersTools: true, entry: { name: 'srv' },
      tools: [
        tool('get', { type: 'object', properties: { id: { type: 'integer', minimum: 1 } }, required: ['id'], additionalProperties: false }, true),
        tool('put', { type: 'object', properties: {} }),
        tool('broken', { type: 'object', properties: { a: { type: 'no-such-type' } } }),
        tool('off', { type: 'object' }),
      ],
      call: async (name: string, args: unknown) => { calls.push([name, args]); return { content: [{ type: 'text', text: 'ok' }] }; },
    } as unknown as McpConnection;
    const tools = mcpTools([connection], new Set(['srv__off']));
    assert.deepEqual(tools.map((x) => [x.name, x.registered.def.category]), [['srv__get', 'read'], ['srv__put', 'mcp']]);
    const get = tools[0]!.registered;
    assert.equal(get.def.input.safeParse({ id: 0 }).success, false);
    assert.equal(get.def.input.safeParse({ id: 1, extra: true }).success, false);
    assert.equal(get.def.input.safeParse({ id: 2 }).success, true);
    const ctx = { signal: new AbortController().signal } as ToolContext;
    assert.deepEqual(await get.run({ id: 2 }, ctx), { content: 'ok', isError: false });
    assert.deepEqual(calls, [['get', { id: 2 }]]);
    assert.deepEqual(tools[0]!.definition.inputSchema.required, ['id']);
    assert.deepEqual(mcpTools([{ ...connection, state: 'failed', offersTools: false } as McpConnection], new Set()), []);
    const many = { ...connection, tools: Array.from({ length: 150 }, (_, i) => tool(`t${i}`, { type: 'object' })) } as McpConnection;
    assert.equal(mcpTools([many, { ...many, entry: { name: 'two' } } as McpConnection], new Set()).length, MAX_MCP_TOOLS);
  });
});
