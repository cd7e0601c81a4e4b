import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { createServer } from 'node:net';

export const ROOT = resolve(import.meta.dirname, '../../..');
export const ARTIFACTS = join(ROOT, 'test-artifacts');
const log = (message: string) => process.stderr.write(`      [vscode-e2e] ${message}\n`);

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** Installs (or finds) Node 24, Chromium and code-server through .ci/vscode.sh. */
export function installTools(): { nodeBin: string; codeServer: string } {
  const started = Date.now();
  const cache = execFileSync('bash', [join(ROOT, '.ci/vscode.sh')], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], timeout: 15 * 60_000 }).trim();
  const nodeBin = execFileSync('bash', [join(ROOT, '.ci/node.sh')], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] }).trim();
  log(`tools ready in ${Date.now() - started} ms (${cache})`);
  return {
    nodeBin,
    codeServer: join(cache, 'code-server/node_modules/.bin/code-server'),
  };
}

let packaged: string | undefined;

/** `npm run package` (once per run), unless SLIPWAY_VSIX names a .vsix built before. */
export function buildVsix(): string {
  const given = process.env.SLIPWAY_VSIX;
  if (given) return resolve(given);
  if (packaged) return packaged;
  const started = Date.now();
  execFileSync('npm', ['run', '--silent', 'package'], { cwd: ROOT, stdio: ['ignore', 'ignore', 'inherit'], timeout: 5 * 60_000 });
  log(`packaged dist/slipway.vsix in ${Date.now() - started} ms`);
  return (packaged = join(ROOT, 'dist/slipway.vsix'));
}

export interface CodeServer {
  url: string;
  workspace: string;
  /** A multi-root workspace file holding `workspace`: folders added to it need no window reload. */
  workspaceFile: string;
  extensionsDir: string;
  stop(): Promise<void>;
}

/**
 * A code-server of its own: temporary user data, extensions and workspace folders, the .vsix
 * installed into them, settings pointing the extension at `serverUrl`. Runs in its own process group
 * so stop() ends it and everything it started.
 */
export async function startCodeServer(tools: { nodeBin: string; codeServer: string }, vsix: string, settings: Record<string, unknown>, extraEnv: Record<string, string> = {}): Promise<CodeServer> {
  const base = mkdtempSync(join(tmpdir(), 'slipway-vscode-'));
  const userData = join(base, 'user-data');
  const extensionsDir = join(base, 'extensions');
  const workspace = join(base, 'workspace');
  for (const dir of [join(userData, 'User'), extensionsDir, workspace]) mkdirSync(dir, { recursive: true });
  writeFileSync(join(workspace, 'README.md'), '# A local folder\n');
  const workspaceFile = join(base, 'slipway-e2e.code-workspace');
  writeFileSync(workspaceFile, JSON.stringify({ folders: [{ path: workspace }] }));
  writeFileSync(join(userData, 'User/settings.json'), JSON.stringify({
    'workbench.startupEditor': 'none',
    'workbench.tips.enabled': false,
    'workbench.enableExperiments': false,
    // Workspace trust stays ON, as users have it; no startup prompt, so windows open in Restricted
    // Mode: the extension must work there (it declares untrustedWorkspaces support).
    'security.workspace.trust.startupPrompt': 'never',
    'security.workspace.trust.emptyWindow': false,
    'telemetry.telemetryLevel': 'off',
    'extensions.autoUpdate': false,
    'extensions.autoCheckUpdates': false,
    'update.mode': 'none',
    'chat.disableAIFeatures': true,
    'workbench.colorTheme': 'Default Dark Modern',
    'workbench.secondarySideBar.defaultVisibility': 'hidden',
    ...settings,
  }, null, 2));
  const env = { ...process.env, PATH: `${tools.nodeBin}:${process.env.PATH ?? ''}`, XDG_CONFIG_HOME: join(base, 'config'), XDG_DATA_HOME: join(base, 'data'), ...extraEnv };
  const common = ['--user-data-dir', userData, '--extensions-dir', extensionsDir];
  execFileSync(tools.codeServer, [...common, '--install-extension', vsix], { env, stdio: ['ignore', 'ignore', 'inherit'], timeout: 120_000 });
  if (!existsSync(join(extensionsDir, 'extensions.json'))) throw new Error('code-server did not install the .vsix');

  const port = await freePort();
  const child: ChildProcess = spawn(tools.codeServer, [
    ...common, '--auth', 'none', '--bind-addr', `127.0.0.1:${port}`, '--disable-telemetry', '--disable-update-check',
    '--disable-getting-started-override', workspace,
  ], { env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout?.on('data', (c: Buffer) => (output += c.toString()));
  child.stderr?.on('data', (c: Buffer) => (output += c.toString()));
  const url = `http://127.0.0.1:${port}`;
  const stop = async () => {
    if (child.exitCode === null && child.pid) {
      try { process.kill(-child.pid, 'SIGTERM'); } catch { /* gone */ }
      const exited = await Promise.race([new Promise((r) => child.once('exit', () => r(true))), new Promise((r) => setTimeout(() => r(false), 5000))]);
      if (!exited) try { process.kill(-child.pid, 'SIGKILL'); } catch { /* gone */ }
    }
    rmSync(base, { recursive: true, force: true, maxRetries: 3 });
  };
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`code-server exited: ${output.slice(-2000)}`);
    try {
      if ((await fetch(`${url}/healthz`)).ok) break;
    } catch { /* not yet */ }
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`code-server did not start in time: ${output.slice(-2000)}`);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  log(`code-server on ${url}`);
  return { url, workspace, workspaceFile, extensionsDir, stop };
}

/** Headless Debian Chromium through playwright-core. */
export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.SLIPWAY_CHROMIUM ?? '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage',
      // Pages a test serves through route.fulfill count as public; let them reach the loopback server.
      '--disable-features=LocalNetworkAccessChecks'],
  });
}

/** Opens the workbench on the workspace folder (or the multi-root workspace file, or no folder) and waits until it has rendered. */
export async function openWorkbench(browser: Browser, server: CodeServer, options: { multiRoot?: boolean; empty?: boolean; page?: Page } = {}): Promise<Page> {
  const page = options.page ?? await (await browser.newContext({ viewport: { width: 1400, height: 900 } })).newPage();
  page.setDefaultTimeout(20_000);
  const where = options.empty ? '/?ew=true' : options.multiRoot ? `/?workspace=${encodeURIComponent(server.workspaceFile)}` : `/?folder=${encodeURIComponent(server.workspace)}`;
  await page.goto(`${server.url}${where}`);
  await page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });
  await page.locator('.activitybar').waitFor({ timeout: 60_000 });
  return page;
}

/** Bundles the in-extension-host mocha suite (mocha itself is loaded from the repository's node_modules). */
export async function buildInHostSuite(): Promise<string> {
  const esbuild = await import('esbuild');
  const outfile = join(ROOT, 'dist/test/in-host.cjs');
  await esbuild.build({
    entryPoints: [join(ROOT, 'extension/test/suite/index.ts')], outfile, bundle: true, format: 'cjs', platform: 'node',
    target: 'node20', external: ['vscode', 'mocha'], logLevel: 'warning',
  });
  return outfile;
}

/**
 * Opens a window that runs the in-host suite in the real (remote) extension host: the workbench's
 * `payload` parameter, as VS Code's own remote extension tests do. The extension under test is the
 * one the .vsix installed.
 */
export async function runInHostSuite(page: Page, server: CodeServer, suite: string): Promise<void> {
  const host = new URL(server.url).host;
  const installed = readdirSync(server.extensionsDir).find((name) => name.startsWith('slipway.slipway-'));
  if (!installed) throw new Error('the .vsix is not installed');
  const payload = JSON.stringify([
    ['extensionDevelopmentPath', `vscode-remote://${host}${join(server.extensionsDir, installed)}`],
    ['extensionTestsPath', `vscode-remote://${host}${suite}`],
  ]);
  const url = `${server.url}/?folder=${encodeURIComponent(server.workspace)}&payload=${encodeURIComponent(payload)}`;
  // The built workbench honours `payload` only with the smoke-test driver enabled, which the VS Code
  // server sets from --enable-smoke-test-driver; code-server has no such flag, so this window's page
  // gets the same developmentOptions added to the configuration the server embeds in it.
  await page.route(url, async (route) => {
    const response = await route.fetch();
    const html = (await response.text()).replace(/data-settings="([^"]*)"/, (_, encoded: string) => {
      const settings = JSON.parse(decodeEntities(encoded)) as { developmentOptions?: Record<string, unknown> };
      settings.developmentOptions = { ...settings.developmentOptions, enableSmokeTestDriver: true };
      return `data-settings="${JSON.stringify(settings).replace(/&/g, '&amp;').replace(/"/g, '&quot;')}"`;
    });
    await route.fulfill({ response, body: html });
  });
  await page.goto(url);
}

function decodeEntities(text: string): string {
  return text.replace(/&(quot|amp|lt|gt|#39|#x27);/g, (_, name: string) => ({ quot: '"', amp: '&', lt: '<', gt: '>', '#39': "'", '#x27': "'" })[name] ?? '');
}

export async function screenshot(page: Page, name: string): Promise<string> {
  const path = await artifactPath(name);
  await page.screenshot({ path });
  return path;
}

/** Where a screenshot named `name` is kept (test-artifacts/, created on demand). */
export async function artifactPath(name: string): Promise<string> {
  mkdirSync(ARTIFACTS, { recursive: true });
  return join(ARTIFACTS, `${name}.png`);
}
