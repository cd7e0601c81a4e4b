import assert from 'node:assert/strict';
import type { ChatEvent, ChatEventBody } from '../protocol/chat';
import type { McpServerStatus } from '../protocol/mcp';
import { toolSummary } from './tool-summary';
import { applyEvents, emptyTranscript } from './transcript';

const at = '2026-01-01T00:00:00.000Z';
const events = (...bodies: ChatEventBody[]): ChatEvent[] => bodies.map((body, i) => ({ seq: i + 1, at, body }));
const server = (name: string, state: McpServerStatus['state'], error: string | null = null): McpServerStatus => ({
  name, source: 'workspace', transport: 'stdio', state, error, restarts: 0,
  tools: state === 'ready' ? [{ name: `${name}__echo`, description: 'Echo', readOnly: true, enabled: true }] : [],
});

describe('webview transcript: MCP status', () => {
  it('keeps the latest report and notes a server once when it fails', () => {
    const t = applyEvents(emptyTranscript('c'), events(
      { type: 'mcp_status', servers: [server('fixture', 'ready'), server('broken', 'failed', 'exited with code 3')], configError: null },
      { type: 'mcp_status', servers: [server('fixture', 'ready'), server('broken', 'failed', 'exited with code 3')], configError: null },
      { type: 'mcp_status', servers: [server('fixture', 'failed', 'exited with code 7: crashing'), server('broken', 'failed', 'exited with code 3')], configError: null },
      { type: 'mcp_status', servers: [server('fixture', 'ready'), server('broken', 'failed', 'exited with code 3')], configError: null },
    ));
    assert.deepEqual(t.mcp?.servers.map((s) => [s.name, s.state]), [['fixture', 'ready'], ['broken', 'failed']]);
    const notes = t.items.filter((item) => item.kind === 'note').map((item) => (item.kind === 'note' ? item.text : ''));
    assert.deepEqual(notes, ['MCP server "broken" failed: exited with code 3', 'MCP server "fixture" failed: exited with code 7: crashing']);
  });

  it('names an MCP tool card by its server and tool', () => {
    assert.equal(toolSummary('fixture__echo', JSON.stringify({ text: 'hello' }), 'echo: hello'), 'fixture › echo hello');
    assert.equal(toolSummary('github__list_issues', JSON.stringify({ limit: 5 }), null), 'github › list_issues');
  });
});
