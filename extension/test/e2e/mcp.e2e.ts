import assert from 'node:assert/strict';
import { FIXTURE_PATH, fixtureServer, fixtureServerSource } from '../../../server/agent/mcp/testing/fixture-bundle';
import { screenshot } from './harness';
import { workbenchFixture } from './workbench-fixture';
import { answerInput, chatFrame, eventually, pickItem, quickInput, runCommand, treeRow } from './workbench';

/**
 * An MCP server of the project's workspace in the real workbench: the agent calls its tool, the
 * chat shows the call as a tool card and the server, with its tools, in its MCP section.
 */
describe('VS Code extension: MCP tools in the chat', function () {
  this.timeout(120_000);
  let projectId = '';
  const w = workbenchFixture('mcp', { prepare: async ({ server, pat, teamId }) => {
    const created = await server.call('POST', '/api/projects', { token: pat, body: { teamId, name: 'MCP app', template: 'empty' } });
    projectId = created.body.id as string;
    await eventually(async () => (await server.call('GET', `/api/projects/${projectId}`, { token: pat })).body.status, (s) => s === 'RUNNING', 'the project to run', 60_000);
    const write = async (path: string, text: string) => {
      const res = await server.call('PUT', `/api/projects/${projectId}/files?path=${encodeURIComponent(path)}&createParents=true`, { token: pat, raw: text, headers: { 'content-type': 'application/octet-stream' } });
      assert.equal(res.status, 200, JSON.stringify(res.body));
    };
    await write(FIXTURE_PATH, await fixtureServerSource());
    // The host runtime's sandbox finds `node` on the test's PATH.
    await write('.slipway/mcp.json', JSON.stringify({ servers: { fixture: fixtureServer({ PATH: process.env.PATH ?? '' }) } }));
  } });

  it('the agent calls the workspace server\'s tool: a tool card, and the server with its tools in the MCP section', async () => {
    const { page, model } = w;
    await treeRow(page, 'MCP app').waitFor();
    await runCommand(page, 'Slipway: Select Project');
    await answerInput(page, 'MCP app');
    const chat = chatFrame(page);
    await chat.locator('[data-testid="selected-project"]', { hasText: 'MCP app' }).waitFor();
    model.enqueue({ reply: [{ toolCall: { name: 'fixture__echo', args: { text: 'from vscode' } } }] }, { reply: [{ text: 'The fixture answered.' }] });
    await chat.locator('[data-testid="chat-input"] textarea').fill('Call the fixture');
    await chat.locator('[data-testid="chat-send"]:not([disabled])').click();
    await chat.locator('[data-testid="assistant-message"]', { hasText: 'The fixture answered.' }).waitFor();
    const card = chat.locator('[data-testid="tool-card"]', { hasText: 'fixture › echo from vscode' });
    await card.waitFor();
    await card.locator('summary').click();
    await card.getByText(/echo: from vscode \(pid \d+/).waitFor();
    const section = chat.locator('[data-testid="mcp"]');
    await section.locator('summary', { hasText: 'MCP · 1 up' }).click();
    await section.locator('.mcp-server[data-server="fixture"] li', { hasText: 'echo' }).first().waitFor();
    await screenshot(page, '40-mcp-tool-card');
  });

  it('Slipway: MCP Servers lists the running server and turns one of its tools off', async () => {
    const { page, server, pat } = w;
    await runCommand(page, 'Slipway: MCP Servers');
    const widget = quickInput(page);
    // From the palette (not a project's row) it asks which project first.
    await widget.locator('.quick-input-title', { hasText: 'MCP servers of which project?' }).waitFor();
    await pickItem(page, 'MCP app');
    await widget.locator('.monaco-list-row', { hasText: /fixture/ }).filter({ hasText: 'ready' }).waitFor();
    await screenshot(page, '41-mcp-servers');
    await pickItem(page, 'Turn tools on or off');
    const huge = widget.locator('.monaco-list-row', { hasText: 'fixture__huge' });
    await huge.waitFor();
    await huge.click();
    await page.keyboard.press('Enter');
    const settings = await eventually(async () => (await server.call('GET', `/api/projects/${projectId}/mcp`, { token: pat })).body, (b) => b.disabledTools?.length > 0, 'the tool turned off');
    assert.deepEqual(settings.disabledTools, ['fixture__huge']);
    await page.keyboard.press('Escape');
  });
});
