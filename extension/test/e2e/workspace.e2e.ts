import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { sandboxOfProject } from '../../../server/reconcile/sandbox-store';
import { startProxy } from '../../connection/tcp-proxy.testing';
import { artifactPath, freePort, openWorkbench, screenshot } from './harness';
import { activeEditor, expand, explorerRow, tab, terminalText } from './sandbox-page';
import { chatFrame, eventually, inlineAction, notification, openSlipway, pickItem, quickInput, runCommand, treeRow, trustForTerminal } from './workbench';
import { projectFile, runningProject, workbenchFixture } from './workbench-fixture';

/**
 * A project's sandbox in the real workbench: the `slipway:` folder in the Explorer, editing and
 * saving, live changes, a sandbox terminal through a network drop, and the preview. The server runs
 * real sandboxes (host runtime); VS Code reaches it through a TCP proxy the test can cut.
 * Tests run in order, each building on the last.
 */
describe('VS Code extension: a project\'s sandbox in the workbench', function () {
  this.timeout(120_000);
  let projectId: string;
  let proxy: Awaited<ReturnType<typeof startProxy>> | undefined;
  const appPort = 20_000 + Math.floor(Math.random() * 20_000);
  const w = workbenchFixture('sandbox', {
    // A fixed port: preview URLs name the server's configured port.
    config: async () => ({ port: await freePort() }),
    prepare: async ({ server, pat, teamId }) => {
      projectId = await runningProject(server, pat, teamId, 'Sandbox app', 'web-app');
    },
    serverUrl: async ({ server }) => (proxy = await startProxy(Number(new URL(server.url).port))).url,
    settings: { 'terminal.integrated.gpuAcceleration': 'off' },
    // A multi-root window: adding the project's folder edits it in place. (From a single-folder
    // window the web workbench reloads into a new untitled workspace, which code-server sometimes
    // restores empty; that is VS Code's transition, not the extension's.)
    multiRoot: true,
    cleanup: async () => proxy?.close(),
  });

  const files = async (method: 'GET' | 'PUT', path: string, body?: string, project = projectId) => {
    const res = await projectFile(w.server, w.pat, project, method, path, body);
    assert.equal(res.status, 200, `${method} ${path}: ${res.status}`);
    return res.text;
  };

  /** git in the project's sandbox, as the test's own witness (not through the extension). */
  const sandboxGit = async (script: string) => {
    const sandbox = await sandboxOfProject(w.server.db.sql, projectId);
    const daemon = w.server.services.daemons.get(sandbox!.id, sandbox!.address!);
    const result = await daemon.call('exec.run', { command: ['bash', '-c', script], env: { GIT_CONFIG_GLOBAL: '/dev/null' } });
    assert.equal(result.exitCode, 0, result.stderr);
    return result.stdout;
  };

  before(async () => {
    await treeRow(w.page, 'Sandbox app').waitFor();
  });

  it('opens a running project as a workspace folder from the Projects view', async () => {
    const { page } = w;
    await inlineAction(page, treeRow(page, 'Sandbox app'), 'Open Project Files');
    await expand(explorerRow(page, 'Sandbox app (Slipway)'), explorerRow(page, 'server.js'));
    await explorerRow(page, 'public').waitFor();
    await screenshot(page, '10-explorer-slipway-folder');
  });

  it('shows a file written into the sandbox in the Explorer, live', async () => {
    const { page } = w;
    await files('PUT', 'notes/hello.txt', 'written in the sandbox\n');
    await expand(explorerRow(page, 'notes'), explorerRow(page, 'hello.txt'));
  });

  it('opens, edits and saves a file; the change is in the sandbox', async () => {
    const { page } = w;
    await explorerRow(page, 'hello.txt').dblclick();
    await tab(page, 'hello.txt').waitFor();
    await activeEditor(page).getByText('written in the sandbox').waitFor();
    await activeEditor(page).click();
    await page.keyboard.press('Control+End');
    await page.keyboard.type('edited in VS Code');
    await page.keyboard.press('Control+S');
    await eventually(() => files('GET', 'notes/hello.txt'), (t) => t === 'written in the sandbox\nedited in VS Code', 'the saved text in the sandbox');
    await eventually(() => tab(page, 'hello.txt').getAttribute('class'), (c) => !!c && !c.includes('dirty'), 'the editor to be saved');
    await screenshot(page, '11-edited-and-saved');
  });

  it('lists a change in Source Control; a commit from the view lands in the sandbox\'s repository', async () => {
    const { page } = w;
    await sandboxGit('[ -d .git ] || { git init -q -b main && git add -A && git -c user.name=E2E -c user.email=e2e@example.com commit -q -m initial; }');
    await files('PUT', 'notes/scm.txt', 'a change for Source Control\n');
    await page.locator('.activitybar .action-item a.action-label[aria-label^="Source Control"]').first().click();
    await page.locator('.scm-view .monaco-list-row', { hasText: 'scm.txt' }).first().waitFor({ timeout: 30_000 });
    await screenshot(page, '12-source-control-change');
    await runCommand(page, 'Slipway: Git: Stage All Changes');
    await page.locator('.scm-view .monaco-list-row', { hasText: 'Staged Changes' }).first().waitFor();
    await page.locator('.scm-view .scm-editor .monaco-editor, .scm-view .scm-input .monaco-editor').first().click();
    await page.keyboard.type('Commit from the Source Control view');
    await page.keyboard.press('Control+Enter');
    await eventually(() => sandboxGit('git log -1 --format=%s'), (s) => s.trim() === 'Commit from the Source Control view', 'the commit in the sandbox\'s repository');
    assert.match(await sandboxGit('git show --name-only --format= HEAD'), /notes\/scm\.txt/);
    await eventually(() => page.locator('.scm-view .monaco-list-row', { hasText: 'scm.txt' }).count(), (n) => n === 0, 'the view to be clean after the commit');
    await screenshot(page, '12-source-control-committed');
    await page.locator('.activitybar .action-item a.action-label[aria-label^="Explorer"]').first().click();
  });

  it('runs a command in a sandbox terminal', async () => {
    const { page } = w;
    await runCommand(page, 'Slipway: Open Terminal');
    // VS Code asks for workspace trust before any terminal (its own rule, extension terminals
    // included): the user trusts the workspace, as they would.
    await trustForTerminal(page, page.locator('.terminal-wrapper .xterm-rows').first());
    await page.locator('.terminal-wrapper .xterm').first().click();
    await page.keyboard.type('echo "sum=$((40+2))" && pwd\n');
    const text = await eventually(() => terminalText(page), (t) => /sum=42/.test(t), 'the command\'s output in the terminal');
    assert.match(text, /workspace/);
    await screenshot(page, '12-sandbox-terminal');
  });

  it('keeps the terminal session and the live Explorer through a network drop', async () => {
    const { page } = w;
    proxy!.cut();
    // Made while VS Code is cut off: replayed after it reconnects.
    await files('PUT', 'notes/while-away.txt', 'missed, then replayed\n');
    await page.locator('.terminal-wrapper .xterm').first().click();
    await page.keyboard.type('echo "after=$((6*7))"\n');
    const text = await eventually(() => terminalText(page), (t) => /after=42/.test(t), 'output after the reconnection', 30_000);
    assert.equal(text.match(/sum=42/g)?.length, 1, `the output before the drop is shown once:\n${text}`);
    await explorerRow(page, 'while-away.txt').waitFor({ timeout: 30_000 });
    await screenshot(page, '13-after-network-drop');
  });

  it('opens the preview of a port listening in the sandbox in the Simple Browser', async () => {
    const { page, server } = w;
    await page.locator('.terminal-wrapper .xterm').first().click();
    await page.keyboard.type(`PORT=${appPort} node server.js\n`);
    await eventually(() => terminalText(page), (t) => t.includes(`listening on http://localhost:${appPort}`), 'the app to listen');
    await runCommand(page, 'Slipway: Open Preview');
    // On the host runtime every port of the machine is the sandbox's (this server's listens too), so
    // the picker always comes (late, under load): filter it to the app's port. Waiting for it, rather
    // than for a Simple Browser tab (one is there already when this test is retried), leaves no
    // picker open behind the test.
    await quickInput(page).getByText('Preview which port').waitFor();
    await quickInput(page).locator('input.input').fill(String(appPort));
    await pickItem(page, String(appPort));
    await tab(page, 'Simple Browser').waitFor();
    const browserFrame = page.frameLocator('iframe.webview.ready').last().frameLocator('iframe#active-frame');
    const address = await eventually(() => browserFrame.locator('input.url-input').inputValue(), (v) => v.includes(`${appPort}-`), 'the preview URL in the Simple Browser');
    assert.match(address, new RegExp(`^http://${appPort}-[a-z0-9-]+\\.localhost:${new URL(server.url).port}/`));
    // Once the page traded the token for its cookie, the address bar shows the clean URL.
    const clean = await eventually(() => page.frameLocator('iframe.webview.ready').last().frameLocator('iframe#active-frame').locator('input.url-input').inputValue(), (v) => v.includes(`${appPort}-`) && !v.includes('slipway_preview_token'), 'the clean preview URL in the address bar', 30_000);
    assert.match(clean, new RegExp(`^http://${appPort}-[a-z0-9-]+\\.localhost:${new URL(server.url).port}/$`));
    await screenshot(page, '14-preview');
  });

  it('shows the app through the preview proxy inside the Simple Browser', async () => {
    const { page } = w;
    // The Simple Browser's page is a cross-site frame: the proxy's session cookie must be
    // `SameSite=None` (Secure, which *.localhost allows over http) for it to follow the redirect.
    const app = page.frameLocator('iframe.webview.ready').last().frameLocator('iframe#active-frame').frameLocator('iframe');
    await app.locator('h1', { hasText: 'Web app' }).waitFor();
    await app.locator('#message', { hasText: 'Hello from your Slipway app' }).waitFor();
    await screenshot(page, '15-preview-app');
  });

  it('chats with the agent: a streamed answer, a file-change card and its diff; the file is in the sandbox', async () => {
    const { page, model } = w;
    model.enqueue(
      { reply: [{ text: ['Creating ', 'the **greeting** ', 'file.'] }, { toolCall: { name: 'write_file', args: { path: 'notes/agent.txt', content: 'written by the agent\n' } } }] },
      { reply: [{ text: ['All done: ', '`notes/agent.txt` ', 'exists.'] }] },
    );
    // Focus back in the workbench (the Simple Browser and the terminal keep keys to themselves).
    await tab(page, 'hello.txt').click();
    await openSlipway(page);
    // Open Project Files selected the project for the chat.
    const chat = chatFrame(page);
    await chat.locator('[data-testid="selected-project"]', { hasText: 'Sandbox app' }).waitFor();
    await chat.locator('[data-testid="chat-input"] textarea').fill('Write a greeting file');
    await chat.locator('[data-testid="chat-send"]:not([disabled])').click();
    await chat.locator('[data-testid="user-message"]', { hasText: 'Write a greeting file' }).waitFor();
    await chat.locator('[data-testid="assistant-message"] strong', { hasText: 'greeting' }).waitFor();
    const card = chat.locator('[data-testid="file-change"][data-path="notes/agent.txt"]');
    await card.waitFor();
    await chat.locator('[data-testid="assistant-message"] code', { hasText: 'notes/agent.txt' }).waitFor();
    await chat.locator('[data-testid="tool-card"] summary', { hasText: 'Wrote notes/agent.txt (1 line)' }).waitFor();
    assert.equal(await files('GET', 'notes/agent.txt'), 'written by the agent\n');
    assert.equal(await chat.locator('[data-testid="file-change"]').count(), 1);
    await screenshot(page, '16-chat-file-change');
    await card.locator('[data-testid="open-diff"]').click();
    await tab(page, "agent.txt: agent's change").waitFor();
    await screenshot(page, '17-chat-diff');
  });

  it('shows the chat view docked and compact, narrow and wide; Enter sends, Shift+Enter is a new line', async () => {
    const { page, model } = w;
    model.enqueue({ reply: [{ text: ['Here you go:\n\n```js\nconsole.log("hi");\n```\n'] }] });
    const chat = chatFrame(page);
    const input = chat.locator('[data-testid="chat-input"] textarea');
    await input.click();
    await page.keyboard.type('Say');
    await page.keyboard.press('Shift+Enter');
    await page.keyboard.type('hi');
    assert.equal(await input.inputValue(), 'Say\nhi');
    await page.keyboard.press('Enter');
    await chat.locator('[data-testid="user-message"]', { hasText: 'hi' }).last().waitFor();
    assert.equal(await input.inputValue(), '', 'the input is empty after sending');
    await chat.locator('.code-block [data-code-action="insert"]').last().waitFor();
    await chat.locator('[data-testid="assistant-message"] .hljs-string').last().waitFor();
    // The input is docked at the bottom of the view, below the transcript, in a narrow sidebar too.
    const sidebar = page.locator('.part.sidebar');
    const box = await sidebar.boundingBox();
    await sidebar.screenshot({ path: await artifactPath('chat-view-narrow') });
    await page.mouse.move(box!.x + box!.width + 2, box!.y + box!.height / 2);
    await page.mouse.down();
    await page.mouse.move(box!.x + 760, box!.y + box!.height / 2, { steps: 5 });
    await page.mouse.up();
    await sidebar.screenshot({ path: await artifactPath('chat-view-wide') });
    const composer = await chat.locator('.composer').boundingBox();
    const frame = await page.locator('iframe.webview[src*="extensionId=slipway.slipway"]').boundingBox();
    assert.ok(composer && frame && composer.y + composer.height > frame.y + frame.height - 30, 'the input is docked at the bottom of the view');
  });

  it('removes a deleted project\'s folder, and a save into it says the project was deleted', async () => {
    const { page, server, pat } = w;
    const created = await server.call('POST', '/api/projects', { token: pat, body: { teamId: (await server.call('GET', '/api/me', { token: pat })).body.teams[0].id, name: 'Doomed', template: 'empty' } });
    const doomed = created.body.id as string;
    await eventually(async () => (await server.call('GET', `/api/projects/${doomed}`, { token: pat })).body.status, (st) => st === 'RUNNING', 'the project to run', 60_000);
    await files('PUT', 'doomed.txt', 'about to go\n', doomed);
    await inlineAction(page, treeRow(page, 'Doomed'), 'Open Project Files');
    await expand(explorerRow(page, 'Doomed (Slipway)'), explorerRow(page, 'doomed.txt'));
    await explorerRow(page, 'doomed.txt').dblclick();
    await tab(page, 'doomed.txt').waitFor();
    await activeEditor(page).click();
    await page.keyboard.press('Control+End');
    await page.keyboard.type('unsaved words');
    assert.equal((await server.call('DELETE', `/api/projects/${doomed}`, { token: pat })).status < 300, true);
    await notification(page, 'The project "Doomed" was deleted').waitFor({ timeout: 30_000 });
    await explorerRow(page, 'Doomed (Slipway)').waitFor({ state: 'detached', timeout: 30_000 });
    await tab(page, 'doomed.txt').click();
    await page.keyboard.press('Control+S');
    await notification(page, /project "Doomed" was deleted: its files are gone/).waitFor({ timeout: 30_000 });
    await screenshot(page, '18-deleted-project-save');
  });

  it('survives Reload Window: the sandbox terminal re-attaches to the same shell, the dev server keeps running', async () => {
    const { page, server, pat } = w;
    // The app started in the terminal (the preview test) is the user's dev server.
    const listening = async () => ((await server.call('GET', `/api/projects/${projectId}/ports`, { token: pat })).body.items as { port: number }[]).some((p) => p.port === appPort);
    assert.equal(await listening(), true);
    await runCommand(page, 'Developer: Reload Window');
    await page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });
    await explorerRow(page, 'Sandbox app (Slipway)').waitFor({ timeout: 60_000 });
    // The same PTY: its scrollback (from before the reload) is on screen again.
    const text = await eventually(() => terminalText(page), (t) => t.includes(`listening on http://localhost:${appPort}`), 'the re-attached terminal with its scrollback', 60_000);
    assert.ok(!/command not found|\$ $/.test(text.split('\n')[0] ?? ''), text);
    // Exactly one terminal, the sandbox one: no local shell stands in for it (VS Code shows a
    // single terminal's name in the panel's title, and a tab list once there are several).
    await eventually(async () => (await page.locator('.single-terminal-tab').first().textContent().catch(() => '')) ?? '', (t) => t.includes('Sandbox app (sandbox)'), 'the sandbox terminal as the only terminal', 30_000);
    assert.equal(await listening(), true, 'the dev server died with the reload');
    // Still the sandbox shell: stop the server and run a command there.
    // The failed save of the deleted project's file may still be announced over the terminal.
    await runCommand(page, 'Notifications: Clear All Notifications');
    await page.locator('.terminal-wrapper.active .xterm').first().click();
    await page.keyboard.press('Control+C');
    await page.keyboard.type('echo "again=$((5*5))" && pwd\n');
    const after = await eventually(() => terminalText(page), (t) => /again=25/.test(t), 'a command in the re-attached shell');
    assert.match(after, /workspace/);
    await screenshot(page, '19-terminal-after-reload');
  });

  it('opens a project from an empty window: the window becomes the project, the chat stays on it', async () => {
    const { page, code, browser } = w;
    const empty = await page.context().newPage();
    try {
      await openWorkbench(browser, code, { empty: true, page: empty });
      await openSlipway(empty);
      await treeRow(empty, 'Sandbox app').waitFor({ timeout: 30_000 });
      await inlineAction(empty, treeRow(empty, 'Sandbox app'), 'Open Project Files');
      await expand(explorerRow(empty, 'Sandbox app (Slipway)'), explorerRow(empty, 'server.js'));
      await openSlipway(empty);
      await chatFrame(empty).locator('[data-testid="selected-project"]', { hasText: 'Sandbox app' }).waitFor({ timeout: 30_000 });
      assert.equal(await empty.getByText('No file system provider found').count(), 0);
      await screenshot(empty, '20-opened-from-empty-window');
    } finally {
      await empty.close();
    }
  });

  it('opens a project from a folder window: added beside the folder', async () => {
    const { page, code, browser } = w;
    const folder = await page.context().newPage();
    try {
      await openWorkbench(browser, code, { page: folder });
      await openSlipway(folder);
      await treeRow(folder, 'Sandbox app').waitFor({ timeout: 30_000 });
      await inlineAction(folder, treeRow(folder, 'Sandbox app'), 'Open Project Files');
      // A second folder turns the folder window into a workspace: the window reloads first.
      await expand(explorerRow(folder, 'Sandbox app (Slipway)'), explorerRow(folder, 'server.js'), 60_000);
      await explorerRow(folder, 'README.md').waitFor();
      await screenshot(folder, '21-opened-from-folder-window');
    } catch (error) {
      await screenshot(folder, 'failed-folder-window').catch(() => undefined);
      // What the window became (its URL, and the untitled workspace VS Code wrote for it) says why.
      const workspaces = join(dirname(code.workspace), 'user-data/User/Workspaces');
      const files = existsSync(workspaces) ? readdirSync(workspaces, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.json')) : [];
      console.error(`folder window at ${folder.url()}; untitled workspaces: ${files.map((f) => `${f}: ${readFileSync(join(workspaces, f), 'utf8')}`).join('; ') || 'none'}`);
      throw error;
    } finally {
      await folder.close();
    }
  });
});
