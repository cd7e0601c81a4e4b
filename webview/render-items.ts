import { button } from './components';
import { renderMarkdown } from './markdown';
import type { Item } from './transcript';

export interface ItemActions {
  approve(approvalId: string, approved: boolean, remember: boolean): void;
  openDiff(item: Extract<Item, { kind: 'file' }>): void;
}

/** The DOM of one transcript entry. Model text goes in as textContent or escaped Markdown only. */
export function itemNode(item: Item, actions: ItemActions, expanded: Set<string>): HTMLElement {
  switch (item.kind) {
    case 'user': {
      const node = el('div', `msg user ${item.source}`);
      if (item.source !== 'user') node.append(el('div', 'label', item.source === 'verify' ? 'Verification' : 'Resumed'));
      node.append(el('div', 'body', item.text));
      return tagged(node, 'user-message');
    }
    case 'text': {
      const node = el('div', `msg assistant${item.streaming ? ' streaming' : ''}`);
      // renderMarkdown escapes every piece of model text before it becomes markup.
      node.innerHTML = renderMarkdown(item.text);
      return tagged(node, 'assistant-message');
    }
    case 'tool':
      return toolCard(item, expanded);
    case 'file':
      return fileCard(item, actions);
    case 'approval':
      return approvalCard(item, actions);
    case 'note':
      return tagged(el('div', `note ${item.level}`, item.text), `note-${item.level}`);
  }
}

function toolCard(item: Extract<Item, { kind: 'tool' }>, expanded: Set<string>): HTMLElement {
  const details = el('details', `card tool${item.isError ? ' failed' : ''}`) as HTMLDetailsElement;
  details.open = expanded.has(item.callId);
  details.addEventListener('toggle', () => (details.open ? expanded.add(item.callId) : expanded.delete(item.callId)));
  const state = item.output === null ? '…' : item.isError ? '✗' : '✓';
  const summary = el('summary', '', `${state} ${item.name}`);
  const brief = briefInput(item.input);
  if (brief) summary.append(el('span', 'muted', ` ${brief}`));
  if (item.durationMs !== null) summary.append(el('span', 'muted', ` · ${formatMs(item.durationMs)}`));
  details.append(summary);
  if (item.input) details.append(el('pre', 'input', item.input));
  if (item.output !== null) details.append(el('pre', 'output', item.output || '(no output)'));
  return tagged(details, 'tool-card');
}

function fileCard(item: Extract<Item, { kind: 'file' }>, actions: ItemActions): HTMLElement {
  const node = el('div', `card file ${item.change}`);
  const head = el('div', 'row');
  const added = (item.diff.match(/^\+(?!\+\+ )/gm) ?? []).length;
  const removed = (item.diff.match(/^-(?!-- )/gm) ?? []).length;
  head.append(el('span', 'change', CHANGE_LABELS[item.change]), el('code', 'path', item.path), el('span', 'muted', `+${added} −${removed}${item.truncated ? ' (diff cut)' : ''}`));
  node.append(head, button({ label: 'Open Diff', appearance: 'secondary', testId: 'open-diff', onClick: () => actions.openDiff(item) }));
  node.dataset.path = item.path;
  return tagged(node, 'file-change');
}

const CHANGE_LABELS = { create: 'Created', modify: 'Changed', delete: 'Deleted' } as const;

function approvalCard(item: Extract<Item, { kind: 'approval' }>, actions: ItemActions): HTMLElement {
  const node = el('div', 'card approval');
  node.append(el('div', 'label', `Allow ${item.tool} (${item.category})?`), el('pre', 'input', item.summary));
  if (item.answer === null) {
    const row = el('div', 'row');
    row.append(
      button({ label: 'Approve', testId: 'approve', onClick: () => actions.approve(item.approvalId, true, false) }),
      button({ label: `Always allow ${item.category}`, appearance: 'secondary', onClick: () => actions.approve(item.approvalId, true, true) }),
      button({ label: 'Deny', appearance: 'secondary', testId: 'deny', onClick: () => actions.approve(item.approvalId, false, false) }),
    );
    node.append(row);
  } else {
    node.append(el('div', 'muted', item.answer ? 'Approved' : 'Denied'));
  }
  return tagged(node, 'approval');
}

/** The most telling argument of a tool call (a path or a command), short. */
function briefInput(input: string): string {
  try {
    const parsed = JSON.parse(input) as Record<string, unknown>;
    const value = parsed.path ?? parsed.command ?? parsed.url ?? parsed.pattern;
    return typeof value === 'string' ? (value.length > 60 ? `${value.slice(0, 57)}…` : value) : '';
  } catch {
    return '';
  }
}

const formatMs = (ms: number): string => (ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(1)} s`);

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
