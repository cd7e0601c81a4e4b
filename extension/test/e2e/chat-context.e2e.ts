import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { PNG_1X1 } from '../../../protocol/testing/images';
import { agentTestConfig } from '../../../server/agent/testing/agent-config';
import { AGENT_TEST_KEY } from '../../../server/agent/testing/agent-harness';
import { openaiImages } from '../../../server/agent/testing/image-parts';
import { screenshot } from './harness';
import { activeEditor, explorerRow, expand, openProjectFiles, tab } from './sandbox-page';
import { chatFrame, eventually, inlineAction, openSlipway, runCommand, treeRow } from './workbench';
import { projectFile, runningProject, workbenchFixture } from './workbench-fixture';

/** Runs an entry of the editor's context menu, right-clicking the first line (inside the selection). */
async function editorMenu(page: Page, entry: string): Promise<void> {
  await page.locator('.editor-group-container.active .monaco-editor .view-line').first().click({ button: 'right', position: { x: 5, y: 5 } });
  const item = page.locator('.context-view .action-menu-item', { hasText: entry }).first();
  await item.waitFor();
  await page.waitForTimeout(150);
  await item.click();
}

/**
 * Context in the sidebar chat, in the real workbench: an @-mention picked from the project's files
 * becomes a chip, a pasted image becomes a thumbnail chip, and both travel with the message to the
 * (scripted) model: the path as a reference checked in the sandbox, the image as an image_url part.
 */
describe('VS Code extension: @-mentions and images in the chat', function () {
  this.timeout(120_000);
  let projectId: string;
  const w = workbenchFixture('context', {
    config: () => ({ agent: agentTestConfig(null, { allowPrivateModelHosts: true }) }),
    multiRoot: true,
    prepare: async ({ server, model, pat, teamId }) => {
      // The team's model takes images (the scripted server checks the parts' wire format).
      const put = await server.call('PUT', `/api/teams/${teamId}/model`, { token: pat, body: { kind: 'openai', model: 'vision-test', baseUrl: model.baseUrl, apiKey: AGENT_TEST_KEY, supportsImages: true } });
      assert.equal(put.status, 200, JSON.stringify(put.body));
      projectId = await runningProject(server, pat, teamId, 'Context app', 'web-app');
    },
  });
  const files = async (method: 'PUT', path: string, body: string) => {
    const res = await projectFile(w.server, w.pat, projectId, method, path, body);
    assert.equal(res.status, 200, `${method} ${path}: ${res.status}`);
  };

  before(async () => {
    const { page } = w;
    await treeRow(page, 'Context app').waitFor();
    // Opening the project's files selects it for the chat.
    await openProjectFiles(page, treeRow(page, 'Context app'), 'Context app', (row) => inlineAction(page, row, 'Open Project Files'));
    await expand(explorerRow(page, 'Context app (Slipway)'), explorerRow(page, 'server.js'));
    await openSlipway(page);
  });

  it('@ opens a fuzzy picker of the project\'s files; the chosen file becomes a chip', async () => {
    const { page } = w;
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
    // The view is rebuilt when the sidebar shows another container and comes back: the chip stays.
    await runCommand(page, 'View: Show Explorer');
    await openSlipway(page);
    await chatFrame(page).locator('[data-testid="attachments"] [data-testid="mention-chip"]', { hasText: '@server.js' }).waitFor();
    assert.equal(await chatFrame(page).locator('[data-testid="chat-input"] textarea').inputValue(), 'What does ');
  });

  it('a pasted image becomes a thumbnail chip; both travel with the message to the model', async () => {
    const { page, model } = w;
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

    // A big screenshot (4000×3000 PNG, far over the 512 KiB cap) is scaled down and re-encoded to fit.
    await input.evaluate(async (node) => {
      const canvas = document.createElement('canvas');
      canvas.width = 4000;
      canvas.height = 3000;
      const g = canvas.getContext('2d')!;
      const image = g.createImageData(4000, 3000);
      for (let i = 0; i < image.data.length; i += 4) {
        const p = i / 4;
        image.data[i] = (p % 4000) / 16; image.data[i + 1] = p / 4000 / 12; image.data[i + 2] = 128 + ((p * 7919) % 13); image.data[i + 3] = 255;
      }
      g.putImageData(image, 0, 0);
      const blob = await new Promise<Blob>((resolve) => canvas.toBlob((b) => resolve(b!), 'image/png'));
      const data = new DataTransfer();
      data.items.add(new File([blob], 'big-screenshot.png', { type: 'image/png' }));
      node.dispatchEvent(new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true }));
    });
    const big = chat.locator('[data-testid="attachments"] [data-testid="image-chip"] img[alt="big-screenshot.png"]');
    await big.waitFor();
    const src = (await big.getAttribute('src'))!;
    assert.ok(src.startsWith('data:image/jpeg;base64,'), src.slice(0, 40));
    assert.ok(src.length - 'data:image/jpeg;base64,'.length <= Math.ceil((512 * 1024) / 3) * 4, `scaled to fit: ${src.length}`);
    const size = await big.evaluate((img: HTMLImageElement) => (img.complete ? [img.naturalWidth, img.naturalHeight] : [0, 0]));
    assert.deepEqual(size, [1568, 1176]);
    await chat.locator('[data-testid="attachments"] [data-testid="image-chip"]').last().locator('.chip-remove').click();
    assert.equal(await chat.locator('[data-testid="attachments"] [data-testid="image-chip"]').count(), 1);

    model.enqueue({ reply: [{ text: 'It serves the public folder.' }] });
    await input.pressSequentially('this file do?');
    await input.press('Enter');
    const sent = chat.locator('[data-testid="user-message"]', { hasText: 'What does this file do?' });
    await sent.locator('[data-testid="mention-chip"]', { hasText: '@server.js' }).waitFor();
    await sent.locator('[data-testid="image-chip"] img').waitFor();
    await chat.locator('[data-testid="assistant-message"]', { hasText: 'It serves the public folder.' }).waitFor();
    assert.equal(await chat.locator('[data-testid="attachments"]').isHidden(), true, 'the tray empties on send');
    await screenshot(page, '32-sent-with-context');

    const request = await eventually(async () => model.requests.at(-1), (r) => !!r, 'the model request');
    assert.deepEqual(openaiImages.images(request!.body), [{ mediaType: 'image/png', data: PNG_1X1 }]);
    assert.match(JSON.stringify(request!.body.messages), /- server\.js \(\d+ bytes\)/);
  });

  it('Ask Slipway about This puts the editor\'s selection in the input; Fix This with Slipway sends it at once', async () => {
    const { page, model } = w;
    await runCommand(page, 'View: Show Explorer');
    await explorerRow(page, 'server.js').dblclick();
    await tab(page, 'server.js').waitFor();
    await activeEditor(page).click();
    await page.keyboard.press('Control+Home');
    await page.keyboard.press('Shift+ArrowDown');
    await page.keyboard.press('Shift+ArrowDown');
    await editorMenu(page, 'Ask Slipway about This');
    const chat = chatFrame(page);
    await chat.locator('[data-testid="attachments"] [data-testid="mention-chip"]', { hasText: '@server.js:1-2' }).waitFor();
    // Removed again with its ×: the next message goes without it.
    await chat.locator('[data-testid="attachments"] .chip-remove').click();
    assert.equal(await chat.locator('[data-testid="attachments"]').isHidden(), true);

    model.enqueue({ reply: [{ text: 'Fixed.' }] });
    await tab(page, 'server.js').click();
    await activeEditor(page).click();
    await page.keyboard.press('Control+Home');
    await page.keyboard.press('Shift+ArrowDown');
    await editorMenu(page, 'Fix This with Slipway');
    const sent = chat.locator('[data-testid="user-message"]', { hasText: 'Fix this code.' });
    await sent.locator('[data-testid="mention-chip"]', { hasText: '@server.js:1-1' }).waitFor();
    await chat.locator('[data-testid="assistant-message"]', { hasText: 'Fixed.' }).waitFor();
    const request = await eventually(async () => model.requests.at(-1), (r) => JSON.stringify(r?.body.messages ?? '').includes('Fix this code.'), 'the fix request');
    assert.match(JSON.stringify(request!.body.messages), /Selected in server.js, lines 1-1:\\n```javascript\\nimport \{ createServer \}/);
    await screenshot(page, '33-fix-with-slipway');
  });

  it('a problem in a project file offers "Fix this with Slipway" as a quick fix, which sends it with the lines around it', async () => {
    const { page, model } = w;
    await files('PUT', 'broken.json', '{\n  "name": "app",\n  "version": \n}\n');
    await runCommand(page, 'View: Show Explorer');
    await explorerRow(page, 'broken.json').dblclick();
    await tab(page, 'broken.json').waitFor();
    // VS Code's JSON support reports the syntax error as a problem of the slipway: file.
    const squiggle = page.locator('.editor-group-container.active .squiggly-error').first();
    await squiggle.waitFor({ timeout: 30_000 });
    model.enqueue({ reply: [{ text: 'Fixed the syntax error.' }] });
    // The cursor on the problem, then Quick Fix (Ctrl+.): the light bulb's menu.
    const box = (await squiggle.boundingBox())!;
    await page.mouse.click(box.x + box.width / 2, box.y + box.height / 2);
    await page.keyboard.press('Control+.');
    const fix = page.locator('.action-widget .monaco-list-row', { hasText: 'Fix this with Slipway' }).first();
    await fix.waitFor();
    await screenshot(page, '34-quick-fix-menu');
    await fix.click();
    const chat = chatFrame(page);
    const sent = chat.locator('[data-testid="user-message"]', { hasText: 'Fix this problem:' });
    await sent.locator('[data-testid="mention-chip"]', { hasText: '1 problem' }).waitFor();
    await sent.locator('[data-testid="mention-chip"]', { hasText: '@broken.json:1-' }).waitFor();
    await chat.locator('[data-testid="assistant-message"]', { hasText: 'Fixed the syntax error.' }).waitFor();
    const request = model.requests.at(-1)!;
    assert.match(JSON.stringify(request.body.messages), /broken\.json:\d+:\d+ error: /);
    await screenshot(page, '35-quick-fix-sent');
  });

  it('@ also offers the Problems of the open files, attached as content', async () => {
    const { page, model } = w;
    await openSlipway(page);
    const chat = chatFrame(page);
    const input = chat.locator('[data-testid="chat-input"] textarea');
    await input.click();
    await input.pressSequentially('@probl');
    await chat.locator('[data-testid="mention-item"]').first().filter({ hasText: 'problems' }).waitFor();
    await input.press('Enter');
    await chat.locator('[data-testid="attachments"] [data-testid="mention-chip"]', { hasText: '@1 problem' }).waitFor();
    model.enqueue({ reply: [{ text: 'Seen the problem.' }] });
    await input.pressSequentially('Why?');
    await input.press('Enter');
    await chat.locator('[data-testid="assistant-message"]', { hasText: 'Seen the problem.' }).waitFor();
    const sent = JSON.stringify(model.requests.at(-1)!.body.messages);
    assert.match(sent, /Why\?\\n\\n<context from the editor>\\nProblems reported by the editor:\\n- broken\.json:\d+:\d+ error: /);
    await screenshot(page, '36-problems');
  });
});
