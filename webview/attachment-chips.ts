import type { ChatAttachment, StoredAttachment } from '../protocol/chat-context';

/** How a chip names an attachment: `@src/app.ts`, `@src/`, `@app.ts:3-9`, `@2 problems`, `@terminal`, an image. */
export function attachmentLabel(a: ChatAttachment | StoredAttachment): string {
  switch (a.kind) {
    case 'file':
      return 'missing' in a && a.missing ? `${a.path} (not found)` : a.path;
    case 'folder':
      return `${a.path}/${'missing' in a && a.missing ? ' (not found)' : ''}`;
    case 'selection':
      return `${a.path.split('/').pop()}:${a.startLine}-${a.endLine}`;
    case 'problems':
      return `${a.problems.length} problem${a.problems.length === 1 ? '' : 's'}`;
    case 'terminal':
      return `terminal: ${a.name}`;
    case 'image':
      return a.name ?? 'image';
  }
}

/**
 * One chip; an image shows as a thumbnail from a `data:` URI (the view's CSP allows `img-src data:`,
 * nothing else runs or loads from it). `remove` adds the × button of the input's chips.
 */
export function chipNode(a: ChatAttachment | StoredAttachment, remove?: () => void): HTMLElement {
  const chip = document.createElement('span');
  chip.className = `chip chip-${a.kind}`;
  chip.dataset.testid = a.kind === 'image' ? 'image-chip' : 'mention-chip';
  chip.title = a.kind === 'selection' ? `${a.path}, lines ${a.startLine}-${a.endLine}` : a.kind === 'file' || a.kind === 'folder' ? a.path : attachmentLabel(a);
  if (a.kind === 'image') {
    const img = document.createElement('img');
    img.src = `data:${a.mediaType};base64,${a.data}`;
    img.alt = a.name ?? 'attached image';
    chip.append(img);
  } else {
    const label = document.createElement('span');
    label.textContent = `@${attachmentLabel(a)}`;
    chip.append(label);
  }
  if (remove) {
    const x = document.createElement('button');
    x.className = 'chip-remove';
    x.textContent = '×';
    x.title = 'Remove';
    x.setAttribute('aria-label', `Remove ${attachmentLabel(a)}`);
    x.addEventListener('click', remove);
    chip.append(x);
  }
  return chip;
}

/** The chips of a sent message, in the transcript. */
export function chipRow(list: readonly StoredAttachment[]): HTMLElement {
  const row = document.createElement('div');
  row.className = 'chips';
  row.append(...list.map((a) => chipNode(a)));
  return row;
}
