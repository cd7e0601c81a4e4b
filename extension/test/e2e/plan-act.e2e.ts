import assert from 'node:assert/strict';
import { agentTestConfig } from '../../../server/agent/testing/agent-config';
import { AGENT_TEST_KEY } from '../../../server/agent/testing/agent-harness';
import { screenshot } from './harness';
import { explorerRow, expand, openProjectFiles } from './sandbox-page';
import { answerInput, chatFrame, quickInput, eventually, inlineAction, openSlipway, runCommand, treeRow } from './workbench';
import { projectFile, runningProject, workbenchFixture } from './workbench-fixture';

/**
 * Modes in the sidebar chat, in the real workbench: `/plan` from the slash completion list, the
 * agent's write refused in plan mode, its plan edited in the view and run with Act; the project's
 * rules shown as active; the chat's model chosen with `/model`, each reaching the scripted model.
 */
describe('VS Code extension: plan then act in the chat', function () {
  this.timeout(120_000);
  let projectId: string;
  const w = workbenchFixture('modes', {
    config: () => ({ agent: agentTestConfig(null, { allowPrivateModelHosts: true }) }),
    multiRoot: true,
    prepare: async ({ server, model, pat, teamId }) => {
      const put = await server.call('PUT', `/api/teams/${teamId}/model`, { token: pat, body: { kind: 'openai', model: 'default-model', baseUrl: model.baseUrl, apiKey: AGENT_TEST_KEY } });
      assert.equal(put.status, 200, JSON.stringify(put.body));
      const second = await server.call('POST', `/api/teams/${teamId}/models`, { token: pat, body: { name: 'Second', kind: 'openai', model: 'second-model', baseUrl: model.baseUrl, apiKey: AGENT_TEST_KEY, price: { inputPerMTok: 1, outputPerMTok: 2 } } });
      assert.equal(second.status, 201, JSON.stringify(second.body));
      projectId = await runningProject(server, pat, teamId, 'Modes app', 'web-app');
      assert.equal((await files('PUT', 'AGENTS.md', 'Keep pages in public/.\n')).status, 200);
    },
  });
  const files = (method: 'GET' | 'PUT', path: string, body?: string) => projectFile(w.server, w.pat, projectId, method, path, body);

  before(async () => {
    const { page } = w;
    await treeRow(page, 'Modes app').waitFor();
    await openProjectFiles(page, treeRow(page, 'Modes app'), 'Modes app', (row) => inlineAction(page, row, 'Open Project Files'));
    await expand(explorerRow(page, 'Modes app (Slipway)'), explorerRow(page, 'server.js'));
    await openSlipway(page);
  });

  it('/plan from the completion list: the agent\'s write is refused, its plan is edited in the view, and Act runs the edited plan', async () => {
    const { page, model } = w;
    const chat = chatFrame(page);
    await chat.locator('[data-testid="selected-project"]', { hasText: 'Modes app' }).waitFor();
    const input = chat.locator('[data-testid="chat-input"] textarea');
    await input.click();
    await input.pressSequentially('/pl');
    await chat.locator('[data-testid="slash-item"]', { hasText: '/plan [message]' }).waitFor();
    await screenshot(page, '40-slash-menu');
    await input.press('Tab');
    assert.equal(await input.inputValue(), '/plan ');
    assert.equal(await chat.locator('[data-testid="mode-plan"]').getAttribute('aria-pressed'), 'false', 'completing is not running');

    model.enqueue(
      { reply: [{ toolCall: { name: 'write_file', args: { path: 'public/hello.html', content: '<h1>too early</h1>\n' } } }] },
      { reply: [{ text: 'Here is the plan.' }, { toolCall: { name: 'todo_write', args: { todos: [{ content: 'Create public/hello.html', status: 'pending' }, { content: 'Link it from index.html', status: 'pending' }] } } }] },
      { reply: [{ text: 'Two steps. Edit them and press Act.' }] },
    );
    await input.pressSequentially('Add a greeting page');
    await input.press('Enter');
    await chat.locator('[data-testid="user-message"]', { hasText: 'Add a greeting page' }).getByText('Plan mode').waitFor();
    assert.equal(await chat.locator('[data-testid="mode-plan"]').getAttribute('aria-pressed'), 'true', '/plan switched the mode');
    const editor = chat.locator('[data-testid="plan-editor"]');
    await editor.waitFor();
    await chat.getByText(/Project rules active: AGENTS\.md \(23 B\)/).waitFor();
    const steps = editor.locator('[data-testid="plan-step"]');
    assert.equal(await steps.count(), 2);
    assert.equal(await steps.first().inputValue(), 'Create public/hello.html');
    assert.equal((await files('GET', 'public/hello.html')).status, 404, 'plan mode wrote nothing');
    await chat.locator('[data-testid="tool-card"]', { hasText: 'Not run in plan mode: Wrote public/hello.html' }).waitFor();
    const planned = model.requests.at(-1)!.body as { messages: { role: string; content: unknown }[] };
    assert.match(JSON.stringify(planned.messages), /write_file is not available in plan mode/);
    assert.match(String(planned.messages[0]?.content), /# Project rules[\s\S]*## AGENTS\.md\nKeep pages in public\/\.[\s\S]*PLAN MODE/);
    await screenshot(page, '41-plan-to-edit');

    await steps.first().fill('Create public/hello.html saying hello');
    await editor.locator('[data-testid="plan-remove"]').nth(1).click();
    assert.equal(await steps.count(), 1);
    model.enqueue(
      { reply: [{ toolCall: { name: 'write_file', args: { path: 'public/hello.html', content: '<h1>hello</h1>\n' } } }] },
      { reply: [{ text: 'Created the greeting page.' }] },
    );
    await editor.locator('[data-testid="plan-act"]').click();
    await chat.locator('[data-testid="assistant-message"]', { hasText: 'Created the greeting page.' }).waitFor();
    assert.equal(await editor.isHidden(), true, 'the plan editor goes once the plan runs');
    await eventually(() => files('GET', 'public/hello.html'), (r) => r.text === '<h1>hello</h1>\n', 'the page in the sandbox');
    const acted = model.requests.at(-2)!.body as { messages: { role: string; content: unknown }[] };
    const lastUser = String(acted.messages.filter((m) => m.role === 'user').at(-1)?.content);
    assert.match(lastUser, /Carry out the plan\.[\s\S]*1\. \[pending\] Create public\/hello\.html saying hello$/);
    assert.doesNotMatch(lastUser, /Link it/);
    assert.doesNotMatch(String(acted.messages[0]?.content), /PLAN MODE/);
    await screenshot(page, '42-acted');
  });

  it('/model chooses the chat\'s model from the team\'s, shown with context window and price; its turns use it', async () => {
    const { page, model } = w;
    const chat = chatFrame(page);
    const picker = chat.locator('[data-testid="model-picker"]');
    await picker.waitFor();
    const labels = await picker.locator('option').allTextContents();
    assert.deepEqual(labels, ['Team default · 128k context · price unknown', 'Second · 128k context · $1 / $2 per M tokens']);
    const input = chat.locator('[data-testid="chat-input"] textarea');
    await chat.locator('[data-testid="mode-act"]').click();
    await input.click();
    await input.pressSequentially('/model second');
    await input.press('Enter');
    await eventually(() => picker.inputValue(), (v) => v !== '', 'the picker to show the chosen model');
    await chat.locator('[data-testid="chat-model"]', { hasText: 'second-model' }).waitFor();
    model.enqueue({ reply: [{ text: 'Answered by the second model.' }] });
    await input.pressSequentially('Which model are you?');
    await input.press('Enter');
    await chat.locator('[data-testid="assistant-message"]', { hasText: 'Answered by the second model.' }).waitFor();
    assert.equal(model.requests.at(-1)?.body.model, 'second-model');
    await screenshot(page, '43-model-chosen');
  });

  it('an admin adds a team model with "Slipway: Add Team Model"; the picker lists it, a turn uses it; "Remove Team Model" takes it away', async () => {
    const { page, model, server, pat, teamId } = w;
    await runCommand(page, 'Slipway: Add Team Model');
    // Each prompt is answered once it shows (they share a title; their messages differ).
    await quickInput(page).locator('.monaco-list-row', { hasText: 'OpenAI-compatible' }).waitFor();
    await answerInput(page, 'OpenAI-compatible');
    await answerInput(page, model.baseUrl, /Base URL/);
    await answerInput(page, 'third-model', /Model name/);
    await answerInput(page, 'Third', /Name shown/);
    await answerInput(page, AGENT_TEST_KEY, /API key/);
    await answerInput(page, '64000', /Context window/);
    await answerInput(page, '0.5 / 1.5', /Price/);
    await quickInput(page).locator('.monaco-list-row', { hasText: 'Text only' }).waitFor();
    await answerInput(page, 'Text only');
    const chat = chatFrame(page);
    const picker = chat.locator('[data-testid="model-picker"]');
    const labels = () => picker.locator('option').allTextContents();
    const third = await eventually(labels, (l) => l.some((x) => x.startsWith('Third · 64k context')), 'the picker to list the added model');
    assert.match(third.find((x) => x.startsWith('Third'))!, /0\.5.*1\.5 per M tokens/);
    const stored = await server.call('GET', `/api/teams/${teamId}/models`, { token: pat });
    assert.ok(!JSON.stringify(stored.body).includes(AGENT_TEST_KEY), 'the key is never listed');

    const input = chat.locator('[data-testid="chat-input"] textarea');
    await input.click();
    await input.pressSequentially('/model third');
    await input.press('Enter');
    await chat.locator('[data-testid="chat-model"]', { hasText: 'third-model' }).waitFor();
    model.enqueue({ reply: [{ text: 'Answered by the third model.' }] });
    await input.pressSequentially('And now?');
    await input.press('Enter');
    await chat.locator('[data-testid="assistant-message"]', { hasText: 'Answered by the third model.' }).waitFor();
    assert.equal(model.requests.at(-1)?.body.model, 'third-model');
    await screenshot(page, '44-team-model-added');

    await runCommand(page, 'Slipway: Remove Team Model');
    await quickInput(page).locator('.monaco-list-row', { hasText: 'Third' }).waitFor();
    await answerInput(page, 'Third');
    await page.locator('.monaco-dialog-box .monaco-button', { hasText: 'Remove' }).click();
    await eventually(labels, (l) => !l.some((x) => x.startsWith('Third')), 'the picker to drop the removed model');
  });
});
