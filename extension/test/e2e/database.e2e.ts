import assert from 'node:assert/strict';
import Docker from 'dockerode';
import type { Browser, Page } from 'playwright-core';
import { FAST_RECONCILE } from '../../../server/reconcile/lifecycle.suite';
import { sandboxOfProject } from '../../../server/reconcile/sandbox-store';
import { DockerRuntime } from '../../../server/runtime/docker/docker-runtime';
import { ensureDatabaseImage } from '../../../server/testing/database-image';
import { removeInstallation } from '../../../server/testing/docker-cleanup';
import { stopTestCluster } from '../../../server/testing/postgres';
import { ensureSandboxImage } from '../../../server/testing/sandbox-image';
import { startTestServer, type TestServer } from '../../../server/testing/test-server';
import { buildVsix, installTools, launchBrowser, openWorkbench, screenshot, startCodeServer, type CodeServer } from './harness';
import { terminalText } from './sandbox-page';
import { answerInput, contextMenu, dismissOverlays, eventually, openSlipway, pickItem, projectsView, rowDescription, runCommand, statusItem, treeRow, trustForTerminal } from './workbench';

/**
 * A project's PostgreSQL in the real workbench, on the real Docker runtime: made from the
 * "Web app + PostgreSQL" template through the UI, it shows in the project's tree with its live
 * status, and its psql terminal writes to it.
 */
const WATCHDOG_MS = 15 * 60_000;

describe('VS Code extension: a project database', function () {
  this.timeout(180_000);
  const docker = new Docker();
  let server: TestServer;
  let code: CodeServer | undefined;
  let browser: Browser | undefined;
  let page: Page;
  let watchdog: NodeJS.Timeout;
  let pat: string;
  let teamId: string;

  const cleanup = async () => {
    await browser?.close().catch(() => undefined);
    await code?.stop().catch(() => undefined);
    const installation = server?.reconciler?.ctx.installation;
    await server?.close().catch(() => undefined);
    if (installation) await removeInstallation(installation, docker).catch(() => undefined);
    await stopTestCluster().catch(() => undefined);
  };

  before(async function () {
    this.timeout(20 * 60_000);
    watchdog = setTimeout(() => {
      process.stderr.write(`vscode e2e (database): over ${WATCHDOG_MS / 60_000} min, stopping everything\n`);
      void cleanup().finally(() => process.exit(2));
    }, WATCHDOG_MS);
    const tools = installTools();
    const vsix = buildVsix();
    const [sandboxImage, databaseImage] = await Promise.all([ensureSandboxImage(), ensureDatabaseImage()]);
    server = await startTestServer({ ...FAST_RECONCILE, sandboxImage, databaseImage }, { runtime: new DockerRuntime(docker) });
    const user = await server.signUp('database');
    teamId = user.teamId;
    pat = (await server.call('POST', '/api/tokens', { token: user.token, body: { name: 'e2e database' } })).body.token as string;
    code = await startCodeServer(tools, vsix, { 'slipway.serverUrl': server.url, 'terminal.integrated.gpuAcceleration': 'off' });
    browser = await launchBrowser();
    page = await openWorkbench(browser, code);
    await openSlipway(page);
    await statusItem(page).getByText('Slipway: Sign In').waitFor();
    await runCommand(page, 'Slipway: Sign In');
    await answerInput(page, pat, /Sign in to Slipway/);
    await projectsView(page).getByText('No projects yet').waitFor();
  });

  after(async () => {
    clearTimeout(watchdog);
    await cleanup();
  });

  afterEach(async function () {
    if (this.currentTest?.state === 'failed' && page) await screenshot(page, `failed-${this.currentTest.title.replace(/\W+/g, '-')}`).catch(() => undefined);
    if (page) await dismissOverlays(page);
  });

  it('creates a project from the "Web app + PostgreSQL" template; its database shows in the tree and runs', async () => {
    await runCommand(page, 'Slipway: Create Project');
    await pickItem(page, 'From a template');
    await pickItem(page, 'Web app + PostgreSQL');
    await answerInput(page, 'Notes app', 'Name of the new project');
    await treeRow(page, 'Notes app').waitFor();
    const database = treeRow(page, 'PostgreSQL');
    await database.waitFor();
    await eventually(() => rowDescription(database), (d) => d === 'Running', 'the database to run', 120_000);
    await eventually(() => rowDescription(treeRow(page, 'Notes app')), (d) => d === 'Running', 'the project to run');
    const list = (await server.call('GET', `/api/projects?teamId=${teamId}`, { token: pat })).body.items as { name: string; template: string; database: unknown }[];
    assert.deepEqual(list.map((p) => [p.name, p.template, p.database]), [['Notes app', 'web-app-postgres', { status: 'RUNNING', statusMessage: null }]]);
    await screenshot(page, '30-database-in-tree');
  });

  it('opens a psql terminal on the database from its context menu; what is typed there is in the database', async () => {
    await contextMenu(page, treeRow(page, 'PostgreSQL'), 'Open psql Terminal');
    // The active terminal: a menu click that raced the trust dialog may have opened a second one.
    await trustForTerminal(page, page.locator('.terminal-wrapper.active .xterm-rows').first());
    await eventually(() => terminalText(page), (t) => /app=[>#]/.test(t), 'the psql prompt', 30_000);
    await page.locator('.terminal-wrapper.active .xterm').first().click();
    await page.keyboard.type('CREATE TABLE from_vscode (n int); INSERT INTO from_vscode VALUES (42);\n');
    await eventually(() => terminalText(page), (t) => /INSERT 0 1/.test(t), 'psql to answer', 30_000);
    const project = (await server.call('GET', `/api/projects?teamId=${teamId}`, { token: pat })).body.items[0] as { id: string };
    const sandbox = (await sandboxOfProject(server.db.sql, project.id))!;
    const rows = await server.services.daemons.get(sandbox.id, sandbox.address!).call('exec.run', { command: ['psql', '-XAtqc', 'SELECT n FROM from_vscode'] });
    assert.equal(rows.stdout.trim(), '42');
    await screenshot(page, '31-psql-terminal');
  });
});
