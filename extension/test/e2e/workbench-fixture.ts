import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Docker from 'dockerode';
import type { Browser, Page } from 'playwright-core';
import { agentTestConfig } from '../../../server/agent/testing/agent-config';
import { AGENT_TEST_KEY } from '../../../server/agent/testing/agent-harness';
import { startOpenAIScriptServer } from '../../../server/agent/testing/openai-script-server';
import type { ScriptServer } from '../../../server/agent/testing/script-server';
import type { ConfigInput } from '../../../server/config';
import { FAST_RECONCILE } from '../../../server/reconcile/lifecycle.suite';
import { DockerRuntime } from '../../../server/runtime/docker/docker-runtime';
import { HostRuntime } from '../../../server/runtime/host/host-runtime';
import { ensureDatabaseImage } from '../../../server/testing/database-image';
import { removeInstallation } from '../../../server/testing/docker-cleanup';
import { removeHostSandboxes } from '../../../server/testing/host-sandboxes';
import { stopTestCluster } from '../../../server/testing/postgres';
import { ensureDaemonBundle, ensureSandboxImage } from '../../../server/testing/sandbox-image';
import { startTestServer, type TestServer } from '../../../server/testing/test-server';
import { buildVsix, installTools, launchBrowser, openWorkbench, screenshot, startCodeServer, type CodeServer } from './harness';
import { answerInput, dismissOverlays, eventually, openSlipway, runCommand, statusItem } from './workbench';

export interface Workbench {
  server: TestServer;
  /** The server's model: a scripted OpenAI-format server. */
  model: ScriptServer;
  /** The signed-up user, and a personal access token of theirs (signed in with in VS Code unless `signIn: false`). */
  user: Awaited<ReturnType<TestServer['signUp']>>;
  pat: string;
  teamId: string;
  code: CodeServer;
  browser: Browser;
  page: Page;
}

export interface WorkbenchSetup {
  /** Real sandboxes on the host runtime (the default) or on Docker (with the project database image), or none. */
  runtime?: 'host' | 'docker' | 'none';
  /** Server settings; with sandboxes, on top of the fast reconciler and the scripted model as the server's default model. */
  config?: (model: ScriptServer) => ConfigInput | Promise<ConfigInput>;
  /** Before VS Code starts: projects, files, team models. */
  prepare?: (w: Omit<Workbench, 'code' | 'browser' | 'page'>) => Promise<void>;
  /** The URL VS Code is given (e.g. a proxy the test can cut); the server's own by default. */
  serverUrl?: (w: Omit<Workbench, 'code' | 'browser' | 'page'>) => Promise<string>;
  settings?: Record<string, unknown>;
  env?: Record<string, string>;
  multiRoot?: boolean;
  /** Sign in with the token through the command palette (default), or leave that to the tests. */
  signIn?: boolean;
  watchdogMs?: number;
  /** Stopped after everything else (e.g. a proxy made in `serverUrl`). */
  cleanup?: () => Promise<void>;
}

/**
 * In the calling `describe`: a Slipway server with real sandboxes and a scripted model, a user,
 * `prepare`, then VS Code (code-server in Chromium, workspace trust on) with the Slipway container
 * open and the user signed in; a watchdog, a screenshot of each failed test, overlays dismissed after
 * each, and everything stopped after the suite. Read the fields inside hooks and tests.
 */
export function workbenchFixture(name: string, setup: WorkbenchSetup = {}): Workbench {
  const w = {} as Workbench;
  const runtime = setup.runtime ?? 'host';
  const sandboxes = runtime === 'host' ? mkdtempSync(join(tmpdir(), `slipway-vscode-${name}-`)) : undefined;
  const docker = runtime === 'docker' ? new Docker() : undefined;
  const watchdogMs = setup.watchdogMs ?? 15 * 60_000;
  let watchdog: NodeJS.Timeout;
  const cleanup = async () => {
    await w.browser?.close().catch(() => undefined);
    await w.code?.stop().catch(() => undefined);
    const installation = w.server?.reconciler?.ctx.installation;
    await w.server?.close().catch(() => undefined);
    await w.model?.close().catch(() => undefined);
    if (sandboxes) await removeHostSandboxes(sandboxes).catch(() => undefined);
    if (docker && installation) await removeInstallation(installation, docker).catch(() => undefined);
    await setup.cleanup?.().catch(() => undefined);
    await stopTestCluster().catch(() => undefined);
  };

  before(async function () {
    this.timeout(20 * 60_000); // a fresh machine installs code-server and Chromium first
    watchdog = setTimeout(() => {
      process.stderr.write(`vscode e2e (${name}): over ${watchdogMs / 60_000} min, stopping everything\n`);
      void cleanup().finally(() => process.exit(2));
    }, watchdogMs);
    const tools = installTools();
    const vsix = buildVsix();
    w.model = await startOpenAIScriptServer([], { apiKey: AGENT_TEST_KEY });
    const base: ConfigInput = runtime === 'none' ? {} : { ...FAST_RECONCILE, agent: agentTestConfig(w.model.baseUrl) };
    const config = { ...base, ...await setup.config?.(w.model) };
    w.server = await startServer(runtime, config, sandboxes, docker);
    w.user = await w.server.signUp(name);
    w.teamId = w.user.teamId;
    w.pat = (await w.server.call('POST', '/api/tokens', { token: w.user.token, body: { name: `e2e ${name}` } })).body.token as string;
    await setup.prepare?.(w);
    const serverUrl = setup.serverUrl ? await setup.serverUrl(w) : w.server.url;
    w.code = await startCodeServer(tools, vsix, { 'slipway.serverUrl': serverUrl, ...setup.settings }, setup.env);
    w.browser = await launchBrowser();
    w.page = await openWorkbench(w.browser, w.code, { multiRoot: setup.multiRoot });
    if (setup.signIn === false) return;
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
    // A failed step must not leave a picker or dialog open to fail the tests after it.
    if (w.page) await dismissOverlays(w.page);
  });
  return w;
}

async function startServer(runtime: WorkbenchSetup['runtime'], config: ConfigInput, sandboxes?: string, docker?: Docker): Promise<TestServer> {
  if (runtime === 'docker') {
    const [sandboxImage, databaseImage] = await Promise.all([ensureSandboxImage(), ensureDatabaseImage()]);
    return startTestServer({ ...config, sandboxImage, databaseImage }, { runtime: new DockerRuntime(docker) });
  }
  if (runtime === 'host') {
    await ensureDaemonBundle();
    return startTestServer({ ...config, sandboxImage: 'host' }, { runtime: new HostRuntime(sandboxes!) });
  }
  return startTestServer(config);
}

/** Creates a project through the API and waits until it runs; its id. */
export async function runningProject(server: TestServer, pat: string, teamId: string, name: string, template: string): Promise<string> {
  const created = await server.call('POST', '/api/projects', { token: pat, body: { teamId, name, template } });
  if (created.status !== 201) throw new Error(`creating ${name}: ${created.status} ${JSON.stringify(created.body)}`);
  const id = created.body.id as string;
  await eventually(async () => (await server.call('GET', `/api/projects/${id}`, { token: pat })).body.status, (s) => s === 'RUNNING', 'the project to run', 60_000);
  return id;
}

/** A workspace file through the server's files API (parents created on a write), as the test's own witness. */
export async function projectFile(server: TestServer, pat: string, projectId: string, method: 'GET' | 'PUT', path: string, body?: string): Promise<{ status: number; text: string }> {
  const res = await fetch(`${server.url}/api/projects/${projectId}/files?path=${encodeURIComponent(path)}&createParents=true`, {
    method, headers: { authorization: `Bearer ${pat}`, 'content-type': 'application/octet-stream' }, body,
  });
  return { status: res.status, text: await res.text() };
}
