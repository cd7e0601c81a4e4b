import assert from 'node:assert/strict';
import { sandboxOfProject } from '../../../server/reconcile/sandbox-store';
import { screenshot } from './harness';
import { terminalText } from './sandbox-page';
import { answerInput, contextMenu, eventually, pickItem, projectsView, rowDescription, runCommand, treeRow, trustForTerminal } from './workbench';
import { workbenchFixture } from './workbench-fixture';

/**
 * A project's PostgreSQL in the real workbench, on the real Docker runtime: made from the
 * "Web app + PostgreSQL" template through the UI, it shows in the project's tree with its live
 * status, and its psql terminal writes to it.
 */
describe('VS Code extension: a project database', function () {
  this.timeout(180_000);
  const w = workbenchFixture('database', { runtime: 'docker', settings: { 'terminal.integrated.gpuAcceleration': 'off' } });

  before(async () => {
    await projectsView(w.page).getByText('No projects yet').waitFor();
  });

  it('creates a project from the "Web app + PostgreSQL" template; its database shows in the tree and runs', async () => {
    const { page, server, pat, teamId } = w;
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
    const { page, server, pat, teamId } = w;
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
