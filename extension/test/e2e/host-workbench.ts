import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { agentTestConfig } from '../../../server/agent/testing/agent-config';
import { AGENT_TEST_KEY } from '../../../server/agent/testing/agent-harness';
import { startOpenAIScriptServer } from '../../../server/agent/testing/openai-script-server';
import type { ScriptServer } from '../../../server/agent/testing/script-server';
import { FAST_RECONCILE } from '../../../server/reconcile/lifecycle.suite';
import { HostRuntime } from '../../../server/runtime/host/host-runtime';
import { removeHostSandboxes } from '../../../server/testing/host-sandboxes';
import { stopTestCluster } from '../../../server/testing/postgres';
import { ensureDaemonBundle } from '../../../server/testing/sandbox-image';
import { startTestServer, type TestServer } from '../../../server/testing/test-server';
import { buildVsix, installTools, launchBrowser, openWorkbench, screenshot, startCodeServer, type CodeServer } from './harness';
import { answerInput, dismissOverlays, openSlipway, runCommand, statusItem } from './workbench';

export interface HostWorkbench {
  server: TestServer;
  /** The server's model: a scripted OpenAI-format server. */
  model: ScriptServer;
  /** A personal access token of the signed-up user, who is signed in in VS Code. */
  pat: string;
  teamId: string;
  page: Page;
}

/**
 * In the calling `describe`: a Slipway server with real sandboxes (host runtime) and a scripted
 * model, a user, `prepare` (e.g. a project and its files), then VS Code (code-server in Chromium)
 * signed in with the user's token; a watchdog, a screenshot of each failed test, and everything
 * stopped after. Read the fields inside tests.
 */
export function hostWorkbench(name: string, prepare: (w: Omit<HostWorkbench, 'page'>) => Promise<void>, watchdogMs = 12 * 60_000): HostWorkbench {
  const w = {} as HostWorkbench;
  const sandboxes = mkdtempSync(join(tmpdir(), `slipway-vscode-${name}-`));
  let code: CodeServer | undefined;
  let browser: Browser | undefined;
  let watchdog: NodeJS.Timeout;
  const cleanup = async () => {
    await browser?.close().catch(() => undefined);
    await code?.stop().catch(() => undefined);
    await w.server?.close().catch(() => undefined);
    await w.model?.close().catch(() => undefined);
    await removeHostSandboxes(sandboxes).catch(() => undefined);
    await stopTestCluster().catch(() => undefined);
  };

  before(async function () {
    this.timeout(20 * 60_000);
    watchdog = setTimeout(() => {
      process.stderr.write(`vscode e2e (${name}): over ${watchdogMs / 60_000} min, stopping everything\n`);
      void cleanup().finally(() => process.exit(2));
    }, watchdogMs);
    const tools = installTools();
    const vsix = buildVsix();
    await ensureDaemonBundle();
    w.model = await startOpenAIScriptServer([], { apiKey: AGENT_TEST_KEY });
    w.server = await startTestServer({ ...FAST_RECONCILE, sandboxImage: 'host', agent: agentTestConfig(w.model.baseUrl) }, { runtime: new HostRuntime(sandboxes) });
    const user = await w.server.signUp(name);
    w.teamId = user.teamId;
    w.pat = (await w.server.call('POST', '/api/tokens', { token: user.token, body: { name: `e2e ${name}` } })).body.token as string;
    await prepare(w);
    code = await startCodeServer(tools, vsix, { 'slipway.serverUrl': w.server.url });
    browser = await launchBrowser();
    w.page = await openWorkbench(browser, code);
    await openSlipway(w.page);
    await statusItem(w.page).getByText('Slipway: Sign In').waitFor();
    await runCommand(w.page, 'Slipway: Sign In');
    await answerInput(w.page, w.pat, /Sign in to Slipway/);
  });

  after(async () => {
    clearTimeout(watchdog);
    await cleanup();
  });

  afterEach(async function () {
    if (this.currentTest?.state === 'failed' && w.page) await screenshot(w.page, `failed-${this.currentTest.title.replace(/\W+/g, '-')}`).catch(() => undefined);
    if (w.page) await dismissOverlays(w.page);
  });
  return w;
}
