import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { PNG_1X1 } from '../../../protocol/testing/images';
import { agentTestConfig } from '../../../server/agent/testing/agent-config';
import { AGENT_TEST_KEY } from '../../../server/agent/testing/agent-harness';
import { openaiImages } from '../../../server/agent/testing/image-parts';
import { startOpenAIScriptServer } from '../../../server/agent/testing/openai-script-server';
import type { ScriptServer } from '../../../server/agent/testing/script-server';
import { FAST_RECONCILE } from '../../../server/reconcile/lifecycle.suite';
import { HostRuntime } from '../../../server/runtime/host/host-runtime';
import { removeHostSandboxes } from '../../../server/testing/host-sandboxes';
import { stopTestCluster } from '../../../server/testing/postgres';
import { ensureDaemonBundle } from '../../../server/testing/sandbox-image';
import { startTestServer, type TestServer } from '../../../server/testing/test-server';
import { buildVsix, installTools, launchBrowser, openWorkbench, screenshot, startCodeServer, type CodeServer } from './harness';
import { explorerRow, expand } from './sandbox-page';
import { answerInput, chatFrame, dismissOverlays, eventually, inlineAction, openSlipway, runCommand, statusItem, treeRow } from './workbench';

/**
 * Context in the sidebar chat, in the real workbench: an @-mention picked from the project's files
 * becomes a chip, a pasted image becomes a thumbnail chip, and both travel with the message to the
 * (scripted) model: the path as a reference checked in the sandbox, the image as an image_url part.
 */
const WATCHDOG_MS = 12 * 60_000;

describe('VS Code extension: @-mentions and images in the chat', function () {
  this.timeout(120_000);
  const sandboxes = mkdtempSync(join(tmpdir(), 'slipway-vscode-context-'));
  let server: TestServer;
  let model: ScriptServer | undefined;
  let code: CodeServer | undefined;
  let browser: Browser | undefined;
  let page: Page;
  let watchdog: NodeJS.Timeout;

  const cleanup = async () => {
    await browser?.close().catch(() => undefined);
    await code?.stop().catch(() => undefined);
    await server?.close().catch(() => undefined);
    await model?.close().catch(() => undefined);
    await removeHostSandboxes(sandboxes).catch(() => undefined);
    await stopTestCluster().catch(() => undefined);
  };

  before(async function () {
    this.timeout(20 * 60_000);
    watchdog = setTimeout(() => {
      process.stderr.write(`vscode e2e (chat context): over ${WATCHDOG_MS / 60_000} min, stopping everything\n`);
      void cleanup().finally(() => process.exit(2));
    }, WATCHDOG_MS);
    const tools = installTools();
    const vsix = buildVsix();
    await ensureDaemonBundle();
    model = await startOpenAIScriptServer([], { apiKey: AGENT_TEST_KEY });
    server = await startTestServer({ ...FAST_RECONCILE, sandboxImage: 'host', agent: agentTestConfig(null, { allowPrivateModelHosts: true }) }, { runtime: new HostRuntime(sandboxes) });
    const user = await server.signUp('context');
    const pat = (await server.call('POST', '/api/tokens', { token: user.token, body: { name: 'e2e context' } })).body.token as string;
    // The team's model takes images (the scripted server checks the parts' wire format).
    const put = await server.call('PUT', `/api/teams/${user.teamId}/model`, { token: pat, body: { kind: 'openai', model: 'vision-test', baseUrl: model.baseUrl, apiKey: AGENT_TEST_KEY, supportsImages: true } });
    assert.equal(put.status, 200, JSON.stringify(put.body));
    const created = await server.call('POST', '/api/projects', { token: pat, body: { teamId: user.teamId, name: 'Context app', template: 'web-app' } });
    await eventually(async () => (await server.call('GET', `/api/projects/${created.body.id}`, { token: pat })).body.status, (s) => s === 'RUNNING', 'the project to run', 60_000);
    code = await startCodeServer(tools, vsix, { 'slipway.serverUrl': server.url });
    browser = await launchBrowser();
    page = await openWorkbench(browser, code, { multiRoot: true });
    await openSlipway(page);
    await statusItem(page).getByText('Slipway: Sign In').waitFor();
    await runCommand(page, 'Slipway: Sign In');
    await answerInput(page, pat, /Sign in to Slipway/);
    await treeRow(page, 'Context app').waitFor();
    // Opening the project's files selects it for the chat.
    await inlineAction(page, treeRow(page, 'Context app'), 'Open Project Files');
    await expand(explorerRow(page, 'Context app (Slipway)'), explorerRow(page, 'server.js'));
    await openSlipway(page);
  });

  after(async () => {
    clearTimeout(watchdog);
    await cleanup();
  });

  afterEach(async function () {
    if (this.currentTest?.state === 'failed' && page) await screenshot(page, `failed-${this.currentTest.title.replace(/\W+/g, '-')}`).catch(() => undefined);
    if (page) await dismissOverlays(page);
  });

  it('@ opens a fuzzy picker of the project\'s files; the chosen file becomes a chip', async () => {
    const chat = chatFrame(page);
    await chat.locator('[data-testid="selected-project"]', { hasText: 'Context app' }).waitFor();
    const input = chat.locator('[data-testid="chat-input"] textarea');
    await input.click();
    await input.pressSequentially('What does @srvjs');
    const picker = chat.locator('[data-testid="mention-picker"]');
    await picker.waitFor();
    // Fuzzy: "srvjs" finds server.js first.
    await chat.locator('[data-testid="mention-item"]').first().filter({ hasText: 'server.js' }).waitFor();
    await screenshot(page, '30-mention-picker');
    await input.press('Enter');
    await chat.locator('[data-testid="attachments"] [data-testid="mention-chip"]', { hasText: '@server.js' }).waitFor();
    assert.equal(await input.inputValue(), 'What does ');
    assert.equal(await picker.isHidden(), true);
  });

  it('a pasted image becomes a thumbnail chip; both travel with the message to the model', async () => {
    const chat = chatFrame(page);
    const input = chat.locator('[data-testid="chat-input"] textarea');
    await input.evaluate((node, png) => {
      const bytes = Uint8Array.from(atob(png), (c) => c.charCodeAt(0));
      const data = new DataTransfer();
      data.items.add(new File([bytes], 'design.png', { type: 'image/png' }));
      node.dispatchEvent(new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true }));
    }, PNG_1X1);
    const thumb = chat.locator('[data-testid="attachments"] [data-testid="image-chip"] img');
    await thumb.waitFor();
    assert.equal(await thumb.getAttribute('src'), `data:image/png;base64,${PNG_1X1}`);
    await screenshot(page, '31-image-chip');

    model!.enqueue({ reply: [{ text: 'It serves the public folder.' }] });
    await input.pressSequentially('this file do?');
    await input.press('Enter');
    const sent = chat.locator('[data-testid="user-message"]', { hasText: 'What does this file do?' });
    await sent.locator('[data-testid="mention-chip"]', { hasText: '@server.js' }).waitFor();
    await sent.locator('[data-testid="image-chip"] img').waitFor();
    await chat.locator('[data-testid="assistant-message"]', { hasText: 'It serves the public folder.' }).waitFor();
    assert.equal(await chat.locator('[data-testid="attachments"]').isHidden(), true, 'the tray empties on send');
    await screenshot(page, '32-sent-with-context');

    const request = await eventually(async () => model!.requests.at(-1), (r) => !!r, 'the model request');
    assert.deepEqual(openaiImages.images(request!.body), [{ mediaType: 'image/png', data: PNG_1X1 }]);
    assert.match(JSON.stringify(request!.body.messages), /- server\.js \(\d+ bytes\)/);
  });
});
