import assert from 'node:assert/strict';
import { revokeApiToken } from '../../../server/auth/token-store';
import { notifyProjectChanged } from '../../../server/events/project-events';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildInHostSuite, runInHostSuite, screenshot } from './harness';
import {
  answerDialog, answerInput, chatFrame, contextMenu, eventually, notification, openSlipway, pickItem, projectsView, rowDescription, runCommand, statusItem, treeRow,
} from './workbench';
import { workbenchFixture } from './workbench-fixture';

/**
 * The extension, installed from its .vsix into a real VS Code (code-server in headless Chromium),
 * against a real Slipway server. Tests run in order: each builds on the state the last one left.
 */
describe('VS Code extension in code-server', function () {
  this.timeout(180_000);
  let user: { token: string; teamId: string; email: string; pat: string; teamName: string };
  let suite: string;
  const suiteResult = join(tmpdir(), `slipway-in-host-${process.pid}.json`);
  const w = workbenchFixture('vscode', {
    runtime: 'none',
    signIn: false,
    env: { SLIPWAY_SUITE_RESULT: suiteResult },
    watchdogMs: 30 * 60_000,
    prepare: async ({ server, user: signedUp, pat }) => {
      const me = await server.call('GET', '/api/me', { token: pat });
      user = { ...signedUp, pat, teamName: me.body.teams[0].name };
      suite = await buildInHostSuite();
    },
    cleanup: async () => rmSync(suiteResult, { force: true }),
  });

  it('shows the Slipway container signed out: welcome, status bar and chat view', async () => {
    const { page } = w;
    await openSlipway(page);
    // Workspace trust is on and the folder is not trusted: Slipway works in Restricted Mode.
    await page.locator('.statusbar-item', { hasText: 'Restricted Mode' }).first().waitFor();
    await projectsView(page).getByText('Sign in to your team\'s Slipway server').waitFor();
    await statusItem(page).getByText('Slipway: Sign In').waitFor();
    await chatFrame(page).locator('[data-testid="signed-out"]').waitFor();
    await screenshot(page, '01-signed-out');
  });

  it('signs in with a personal API token pasted through the command palette', async () => {
    const { page } = w;
    await runCommand(page, 'Slipway: Sign In');
    await answerInput(page, user.pat, /Sign in to Slipway/);
    await treeRow(page, user.teamName).waitFor();
    await chatFrame(page).locator('[data-testid="signed-in-user"]', { hasText: user.email }).waitFor();
    // One compact header line; the account is its tooltip (the rest lives in the view's title bar).
    await eventually(() => chatFrame(page).locator('.chat-head').getAttribute('title'), (title) => !!title?.includes(user.email), 'the header to name the account');
    await chatFrame(page).locator('[data-testid="chat-hint"]', { hasText: 'Pick a project to chat about.' }).waitFor();
    assert.equal(await chatFrame(page).locator('[data-testid="chat-input"] textarea').getAttribute('disabled'), '');
    await eventually(() => statusItem(page).getAttribute('aria-label'), (label) => !!label && !label.includes('Sign In'), 'the status bar to show the connection');
    await projectsView(page).getByText('No projects yet').waitFor();
    await screenshot(page, '02-signed-in');
  });

  it('lists a project created through the API and follows its status live', async () => {
    const { page, server } = w;
    const created = await server.call('POST', '/api/projects', { token: user.pat, body: { teamId: user.teamId, name: 'Made by the API', template: 'empty' } });
    assert.equal(created.status, 201);
    const row = treeRow(page, 'Made by the API');
    await row.waitFor();
    await eventually(() => rowDescription(row), (d) => d === 'Creating → Running', 'the created status');

    await server.call('POST', `/api/projects/${created.body.id}/stop`, { token: user.pat });
    await eventually(() => rowDescription(row), (d) => d === 'Creating → Stopped', 'the pushed stop');

    // What the reconciler does when a sandbox fails: status ERROR with a message, announced to listeners.
    await server.db.sql`UPDATE projects SET status = 'ERROR', status_message = 'sandbox image missing', version = version + 1, updated_at = now() WHERE id = ${created.body.id}`;
    await notifyProjectChanged(server.db.sql, { projectId: created.body.id, teamId: user.teamId });
    await eventually(() => rowDescription(row), (d) => d === 'Error: sandbox image missing', 'the pushed error');
    await projectsView(page).locator('..').getByText('1 project(s) in error').waitFor().catch(() => undefined);
    await screenshot(page, '03-live-status');
  });

  it('creates a project from a template through the UI', async () => {
    const { page, server } = w;
    await page.locator('.sidebar .pane-header', { hasText: 'Projects' }).hover();
    await page.locator('.sidebar .pane-header', { hasText: 'Projects' }).locator('[aria-label="Create Project"]').click();
    await pickItem(page, 'From a template');
    await pickItem(page, 'web-app');
    await answerInput(page, 'Made in VS Code', 'Name of the new project');
    const row = treeRow(page, 'Made in VS Code');
    await row.waitFor();
    await eventually(() => rowDescription(row), (d) => d === 'Creating → Running', 'the new project\'s status');
    const list = await server.call('GET', `/api/projects?teamId=${user.teamId}`, { token: user.pat });
    const made = list.body.items.find((p: { name: string }) => p.name === 'Made in VS Code');
    assert.ok(made, 'the server has the project');
    assert.equal(made.template, 'web-app');
    // The new project becomes the chat's project.
    await chatFrame(page).locator('[data-testid="selected-project"]', { hasText: 'Made in VS Code' }).waitFor();
    await screenshot(page, '04-created-from-ui');
  });

  it('stops and deletes a project from its context menu, after a modal confirmation', async () => {
    const { page, server } = w;
    const row = treeRow(page, 'Made in VS Code');
    await contextMenu(page, row, 'Stop Project');
    await eventually(() => rowDescription(row), (d) => d === 'Creating → Stopped', 'the stop');
    await contextMenu(page, row, 'Delete Project');
    // The confirmation says what goes, as the server puts it (GET /api/projects/:id/deletion).
    await page.locator('.monaco-dialog-box', { hasText: 'removes the sandbox and its processes' }).waitFor();
    await screenshot(page, '05-delete-confirmation');
    await answerDialog(page, 'Delete');
    await eventually(() => rowDescription(row), (d) => d === 'Terminating → Deleted', 'the deletion');
    const list = await server.call('GET', `/api/projects?teamId=${user.teamId}`, { token: user.pat });
    assert.equal(list.body.items.find((p: { name: string }) => p.name === 'Made in VS Code').desiredState, 'DELETED');
  });

  it('signs out, revoking the API token on the server', async () => {
    const { page, server } = w;
    await runCommand(page, 'Slipway: Sign Out');
    await projectsView(page).getByText('Sign in to your team\'s Slipway server').waitFor();
    await statusItem(page).getByText('Slipway: Sign In').waitFor();
    await chatFrame(page).locator('[data-testid="signed-out"]').waitFor();
    await eventually(async () => (await server.call('GET', '/api/me', { token: user.pat })).status, (s) => s === 401, 'the token to be revoked');
  });

  it('signs in from a sign-in link (URI handler) with a one-time token', async () => {
    const { page, server } = w;
    const sit = server.firstRun?.token;
    assert.ok(sit);
    await runCommand(page, 'Developer: Open URL');
    await answerInput(page, `code-oss://slipway.slipway/signin?server=${encodeURIComponent(server.url)}&token=${encodeURIComponent(sit)}`);
    // VS Code may ask before handing a URL to an extension.
    const confirm = page.locator('.monaco-dialog-box .monaco-button', { hasText: /^Open$/ });
    if (await confirm.isVisible({ timeout: 3000 }).catch(() => false)) await confirm.click();
    await chatFrame(page).locator('[data-testid="signed-in-user"]', { hasText: 'admin@slipway.local' }).waitFor();
    const admin = await server.call('POST', '/api/auth/redeem', { body: { token: sit } });
    assert.equal(admin.status, 401, 'the one-time token was used');
    await screenshot(page, '06-signed-in-from-link');
  });

  it('passes the in-extension-host suite (payload extensionTestsPath)', async () => {
    const { page, code } = w;
    const host = await page.context().newPage();
    await runInHostSuite(host, code, suite);
    await eventually(async () => existsSync(suiteResult), (done) => done, 'the in-host suite to report', 60_000)
      .catch(async (error: unknown) => {
        await screenshot(host, 'failed-in-host-window');
        throw error;
      });
    const result = JSON.parse(readFileSync(suiteResult, 'utf8')) as { passed: string[]; failed: { title: string; error: string }[] };
    assert.deepEqual(result.failed, []);
    assert.equal(result.passed.length, 3);
    await host.close();
  });

  it('offers a team invitation with Accept; accepting joins the team', async () => {
    const { page, server } = w;
    const inviter = await server.signUp('inviter');
    const invited = await server.call('POST', `/api/teams/${inviter.teamId}/members`, { token: inviter.token, body: { email: 'admin@slipway.local' } });
    assert.equal(invited.status, 202);
    await runCommand(page, 'Slipway: Show Team Invitations');
    const toast = notification(page, /inviter invited you to join the Slipway team "inviter's team"/);
    await toast.waitFor();
    await screenshot(page, '07-invitation');
    await toast.locator('.monaco-button', { hasText: 'Accept' }).click();
    await treeRow(page, "inviter's team").waitFor();
    const members = await server.call('GET', `/api/teams/${inviter.teamId}/members`, { token: inviter.token });
    assert.ok(members.body.items.some((m: { email: string }) => m.email === 'admin@slipway.local'));
  });

  it('signs out when the server revokes its token (socket closed with 4401) and offers Sign In', async () => {
    const { page, server } = w;
    const [token] = await server.db.sql<{ id: string; userId: string }[]>`
      SELECT t.id, t.user_id FROM api_tokens t JOIN users u ON u.id = t.user_id WHERE u.email = 'admin@slipway.local' AND t.revoked_at IS NULL`;
    assert.ok(token, "the extension's API token");
    assert.ok(await revokeApiToken(server.db.sql, token.userId, token.id));
    const toast = notification(page, /did not accept your sign-in/);
    await toast.waitFor();
    await toast.locator('.monaco-button', { hasText: 'Sign In' }).waitFor();
    await projectsView(page).getByText('Sign in to your team\'s Slipway server').waitFor();
    await statusItem(page).getByText('Slipway: Sign In').waitFor();
    await screenshot(page, '08-revoked');
  });

  it('says so in place when the server setting is changed to a wrong URL', async () => {
    const { page, server } = w;
    // As a user does it: the Settings editor.
    const setServer = async (url: string) => {
      await runCommand(page, 'Preferences: Open User Settings');
      const search = page.locator('.settings-editor .search-container').first();
      await search.waitFor();
      await search.click();
      await page.keyboard.press('Control+A');
      await page.keyboard.type('slipway.serverUrl');
      // The setting's own row (by its key): until the search applies, other settings' rows may mention a server URL.
      const input = page.locator('.settings-editor [data-key="slipway.serverUrl"] input').first();
      await input.waitFor();
      await input.fill(url);
      await input.press('Tab');
    };
    const pat = (await server.call('POST', '/api/tokens', { token: user.token, body: { name: 'e2e wrong url' } })).body.token as string;
    await runCommand(page, 'Slipway: Sign In');
    await answerInput(page, pat, /Sign in to Slipway/);
    await chatFrame(page).locator('[data-testid="signed-in-user"]', { hasText: user.email }).waitFor();
    const before = server.url;
    await setServer('http://127.0.0.1:9');
    await notification(page, /Signed out of .*the server setting changed to http:\/\/127\.0\.0\.1:9/).waitFor({ timeout: 30_000 });
    await openSlipway(page);
    await chatFrame(page).locator('[data-testid="signed-out"]').waitFor();
    await chatFrame(page).locator('.welcome .note.error', { hasText: 'the server setting changed to http://127.0.0.1:9' }).waitFor();
    await screenshot(page, '09-wrong-server-url');
    await setServer(before);
  });
});
