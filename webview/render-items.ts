import { chipRow } from './attachment-chips';
import { renderMarkdown } from './markdown';
import { formatDuration, outputTail, prettyInput, toolSummary } from './tool-summary';
import type { Item } from './transcript';

export interface ItemActions {
  approve(approvalId: string, approved: boolean, remember: boolean): void;
  openDiff(item: Extract<Item, { kind: 'file' }>): void;
  undoFiles(checkpointId: string, paths: string[]): void;
  keep(key: string): void;
  changeModel(): void;
}

/** What the view remembers about items beyond the transcript: open cards, kept changes. */
export interface ItemUi {
  expanded: Set<string>;
  kept: Set<string>;
}

/** The DOM of one transcript entry. Model text goes in as textContent or escaped Markdown only. */
export function itemNode(item: Item, actions: ItemActions, ui: ItemUi): HTMLElement {
  switch (item.kind) {
    case 'user': {
      const node = el('div', `msg user ${item.source}`);
      if (item.source !== 'user') node.append(el('div', 'label', item.source === 'verify' ? 'Verification' : 'Resumed'));
      if (item.mode === 'plan') node.append(el('div', 'label', 'Plan mode'));
      node.append(el('div', 'body', item.text));
      if (item.attachments) node.append(chipRow(item.attachments));
      return tagged(node, 'user-message');
    }
    case 'text': {
      const node = el('div', `msg assistant${item.streaming ? ' streaming' : ''}`);
      // markdown-it with raw HTML off: every piece of model text is escaped before it becomes markup.
      node.innerHTML = renderMarkdown(item.text);
      return tagged(node, 'assistant-message');
    }
    case 'tool':
      return toolCard(item, ui.expanded);
    case 'file':
      return fileCard(item, actions, ui.kept);
    case 'changes':
      return changesCard(item, actions, ui.kept);
    case 'approval':
      return approvalCard(item, actions);
    case 'note': {
      const node = el('div', `note ${item.level}`, item.text);
      if (item.action === 'changeModel') node.append(' ', textButton('Change model', () => actions.changeModel(), 'change-model-note', true));
      return tagged(node, `note-${item.level}`);
    }
  }
}

function toolCard(item: Extract<Item, { kind: 'tool' }>, expanded: Set<string>): HTMLElement {
  const details = el('details', `card tool${item.isError ? ' failed' : ''}${item.output === null ? ' running' : ''}`) as HTMLDetailsElement;
  details.open = expanded.has(item.callId);
  details.addEventListener('toggle', () => (details.open ? expanded.add(item.callId) : expanded.delete(item.callId)));
  const state = item.output === null ? '◌' : item.isError ? '✗' : '✓';
  const summary = el('summary', '');
  summary.append(el('span', 'state', state), el('span', 'what', toolSummary(item.name, item.input, item.output)));
  if (item.durationMs !== null) summary.append(el('span', 'muted when', formatDuration(item.durationMs)));
  summary.title = item.name;
  details.append(summary);
  const body = el('div', 'tool-details');
  body.append(el('div', 'label', item.name));
  if (item.input) body.append(el('pre', 'input', prettyInput(item.input)));
  if (item.output !== null) body.append(outputBlock(item.output || '(no output)', `${item.callId}:all`, expanded));
  details.append(body);
  return tagged(details, 'tool-card');
}

/** A long output shows its last lines, with the rest one click away. */
function outputBlock(output: string, key: string, expanded: Set<string>): HTMLElement {
  const wrap = el('div', 'output-wrap');
  const { tail, hidden } = outputTail(output);
  const pre = el('pre', 'output', expanded.has(key) || !hidden ? output : tail);
  if (hidden) {
    const toggle = textButton(expanded.has(key) ? 'Show less' : `Show all ${hidden + tail.split('\n').length} lines`, () => {
      const all = !expanded.has(key);
      if (all) expanded.add(key);
      else expanded.delete(key);
      pre.textContent = all ? output : tail;
      toggle.textContent = all ? 'Show less' : `Show all ${hidden + tail.split('\n').length} lines`;
    }, 'show-all-output');
    wrap.append(toggle);
  }
  wrap.prepend(pre);
  return wrap;
}

function fileCard(item: Extract<Item, { kind: 'file' }>, actions: ItemActions, kept: Set<string>): HTMLElement {
  const node = el('div', `card file ${item.change}${item.undone ? ' undone' : ''}`);
  const head = el('div', 'file-head');
  const added = (item.diff.match(/^\+(?!\+\+ )/gm) ?? []).length;
  const removed = (item.diff.match(/^-(?!-- )/gm) ?? []).length;
  head.append(el('span', 'change', CHANGE_LABELS[item.change]), el('code', 'path', item.path), el('span', 'muted stat', `+${added} −${removed}${item.truncated ? ' (diff cut)' : ''}`));
  const buttons = el('div', 'file-actions');
  buttons.append(textButton('Open Diff', () => actions.openDiff(item), 'open-diff'));
  const key = `file:${item.key}`;
  if (item.undone) buttons.append(el('span', 'muted', 'Undone'));
  else if (kept.has(key)) buttons.append(el('span', 'muted', 'Kept'));
  else if (item.checkpointId) {
    const checkpointId = item.checkpointId;
    buttons.append(
      textButton('Undo', () => actions.undoFiles(checkpointId, [item.path]), 'undo-file'),
      textButton('Keep', () => actions.keep(key), 'keep-file'),
    );
  }
  node.append(head, buttons);
  node.dataset.path = item.path;
  return tagged(node, 'file-change');
}

function changesCard(item: Extract<Item, { kind: 'changes' }>, actions: ItemActions, kept: Set<string>): HTMLElement {
  const node = el('div', 'card changes');
  node.append(el('span', '', `${item.paths.length} files changed in this turn`));
  const key = `turn:${item.key}`;
  const buttons = el('div', 'file-actions');
  if (item.undone) buttons.append(el('span', 'muted', 'All undone'));
  else if (kept.has(key)) buttons.append(el('span', 'muted', 'Kept'));
  else if (item.checkpointId) {
    const checkpointId = item.checkpointId;
    buttons.append(textButton('Undo All', () => actions.undoFiles(checkpointId, item.paths), 'undo-turn'), textButton('Keep All', () => actions.keep(key), 'keep-turn'));
  }
  node.append(buttons);
  return tagged(node, 'turn-changes');
}

const CHANGE_LABELS = { create: 'Created', modify: 'Changed', delete: 'Deleted' } as const;

function approvalCard(item: Extract<Item, { kind: 'approval' }>, actions: ItemActions): HTMLElement {
  const node = el('div', 'card approval');
  node.append(el('div', 'label', `Allow ${item.tool} (${item.category})?`), el('pre', 'input', item.summary));
  if (item.answer === null) {
    const row = el('div', 'file-actions');
    row.append(
      textButton('Approve', () => actions.approve(item.approvalId, true, false), 'approve', true),
      textButton(`Always allow ${item.category}`, () => actions.approve(item.approvalId, true, true)),
      textButton('Deny', () => actions.approve(item.approvalId, false, false), 'deny'),
    );
    node.append(row);
  } else {
    node.append(el('div', 'muted', item.answer ? 'Approved' : 'Denied'));
  }
  return tagged(node, 'approval');
}

/** A compact native button in the theme's button colours. */
export function textButton(label: string, onClick: () => void, testId?: string, primary = false): HTMLButtonElement {
  const node = document.createElement('button');
  node.type = 'button';
  node.className = primary ? 'btn primary' : 'btn';
  node.textContent = label;
  if (testId) node.dataset.testid = testId;
  node.addEventListener('click', (event) => {
    event.preventDefault();
    event.stopPropagation();
    if (!node.disabled) onClick();
  });
  return node;
}

export function el(tag: string, className: string, text?: string): HTMLElement {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

function tagged(node: HTMLElement, testId: string): HTMLElement {
  node.dataset.testid = testId;
  return node;
}
