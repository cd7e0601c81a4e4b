import type { Locator, Page } from 'playwright-core';

/** Page-object helpers for the Explorer, editors and terminals (as code-server renders them). */

/** The Explorer's tree. */
export const explorer = (page: Page): Locator => page.locator('.explorer-folders-view');

/** An Explorer row whose label is exactly `name`. */
export const explorerRow = (page: Page, name: string): Locator =>
  explorer(page).locator('.monaco-list-row', { has: page.locator('.label-name', { hasText: new RegExp(`^${name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`) }) }).first();

/**
 * Expands a folder row of the Explorer until `child` shows. Retried: a row rendered while the
 * window was still restoring can swallow the first click. `rowTimeoutMs` for a row that comes
 * only after the window reloads (a folder window becoming a workspace).
 */
export async function expand(row: Locator, child: Locator, rowTimeoutMs?: number): Promise<void> {
  for (let attempt = 0; ; attempt++) {
    await row.waitFor(rowTimeoutMs ? { timeout: rowTimeoutMs } : {});
    if ((await row.getAttribute('aria-expanded')) !== 'true') await row.click();
    try {
      return await child.waitFor({ timeout: 4000 });
    } catch (error) {
      if (attempt >= 4) throw error;
    }
  }
}

/** The active editor's text area, for typing. */
export const activeEditor = (page: Page): Locator => page.locator('.editor-group-container.active .monaco-editor .view-lines').first();

/** The text of the visible terminal (the DOM renderer's rows). */
export async function terminalText(page: Page): Promise<string> {
  const active = page.locator('.terminal-wrapper.active .xterm-rows').first();
  const rows = (await active.count()) ? active : page.locator('.terminal-wrapper .xterm-rows').first();
  return (await rows.innerText().catch(() => '')).replace(/\u00a0/g, ' ');
}

/** The tab of an editor or terminal whose title contains `title`. */
export const tab = (page: Page, title: string): Locator => page.locator('.tabs-container .tab', { hasText: title }).first();

/**
 * Opens a project's files from its row in the Projects view (`projectRow`) until its folder shows in
 * the Explorer: a click on the hover-revealed action can be lost while the tree re-renders.
 */
export async function openProjectFiles(page: Page, projectRow: Locator, name: string, click: (row: Locator) => Promise<void>): Promise<void> {
  for (let attempt = 0; ; attempt++) {
    await click(projectRow);
    if (await explorerRow(page, `${name} (Slipway)`).waitFor({ timeout: 20_000 }).then(() => true, () => false)) return;
    if (attempt >= 2) throw new Error(`the project "${name}" did not open in the Explorer`);
  }
}
