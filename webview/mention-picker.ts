import fuzzysort from 'fuzzysort';
import type { MentionItem } from '../protocol/webview';

/** Entries shown at once. */
const SHOWN = 50;

/**
 * The input's `@` picker. Typing `@` (at the start or after a space) opens it; the characters after
 * it filter the project's paths and the editor's context with fuzzysort (Sublime-style fuzzy
 * matching); ↑/↓ move, Enter or Tab choose, Escape closes. Choosing removes the `@query` from the
 * text and hands the entry to `chosen` (a chip). Keys are caught in the capture phase, before the
 * input's own Enter-to-send.
 */
export class MentionPicker {
  readonly node = document.createElement('div');
  private items: MentionItem[] | null = null;
  private shown: MentionItem[] = [];
  private active = 0;
  private query: { start: number; text: string } | null = null;

  constructor(private readonly input: HTMLTextAreaElement, box: HTMLElement, private readonly requestItems: () => void, private readonly chosen: (item: MentionItem) => void) {
    this.node.className = 'mention-picker';
    this.node.dataset.testid = 'mention-picker';
    this.node.setAttribute('role', 'listbox');
    this.node.hidden = true;
    input.addEventListener('input', () => this.update());
    input.addEventListener('blur', () => setTimeout(() => this.close(), 150));
    box.addEventListener('keydown', (event) => this.key(event), true);
  }

  /** The extension's answer to `mention.list`. */
  setItems(items: MentionItem[]): void {
    this.items = items;
    this.update();
  }

  private update(): void {
    const before = this.input.value.slice(0, this.input.selectionStart ?? this.input.value.length);
    const match = /(^|\s)@([^\s@]*)$/.exec(before);
    if (!match) return this.close();
    this.query = { start: before.length - match[2]!.length - 1, text: match[2]! };
    if (this.items === null) {
      this.items = [];
      this.requestItems();
    }
    this.shown = this.query.text
      ? fuzzysort.go(this.query.text, this.items, { key: 'label', limit: SHOWN, threshold: 0 }).map((r) => r.obj)
      : this.items.slice(0, SHOWN);
    this.active = 0;
    this.draw();
  }

  private draw(): void {
    this.node.hidden = false;
    if (!this.shown.length) {
      this.node.replaceChildren(Object.assign(document.createElement('div'), { className: 'mention-empty muted', textContent: this.items?.length ? 'No match' : 'Loading…' }));
      return;
    }
    this.node.replaceChildren(...this.shown.map((item, index) => {
      const row = document.createElement('div');
      row.className = `mention-item${index === this.active ? ' active' : ''}`;
      row.dataset.testid = 'mention-item';
      row.setAttribute('role', 'option');
      row.setAttribute('aria-selected', String(index === this.active));
      const label = document.createElement('span');
      label.textContent = item.label;
      const detail = document.createElement('span');
      detail.className = 'muted';
      detail.textContent = item.detail;
      row.append(label, detail);
      row.addEventListener('mousedown', (event) => {
        event.preventDefault();
        this.choose(index);
      });
      return row;
    }));
    this.node.children[this.active]?.scrollIntoView({ block: 'nearest' });
  }

  private key(event: KeyboardEvent): void {
    if (this.node.hidden || event.target !== this.input) return;
    const move = (by: number) => {
      this.active = (this.active + by + this.shown.length) % Math.max(1, this.shown.length);
      this.draw();
    };
    if (event.key === 'ArrowDown') move(1);
    else if (event.key === 'ArrowUp') move(-1);
    else if ((event.key === 'Enter' || event.key === 'Tab') && this.shown.length) this.choose(this.active);
    else if (event.key === 'Escape') this.close();
    else return;
    event.preventDefault();
    event.stopPropagation();
  }

  private choose(index: number): void {
    const item = this.shown[index];
    if (!item || !this.query) return;
    const value = this.input.value;
    const end = this.query.start + 1 + this.query.text.length;
    this.input.value = value.slice(0, this.query.start) + value.slice(end);
    this.input.selectionStart = this.input.selectionEnd = this.query.start;
    this.input.dispatchEvent(new Event('input'));
    this.close();
    this.chosen(item);
    // The next `@` lists the tree again (it may have changed).
    this.items = null;
  }

  private close(): void {
    this.query = null;
    this.node.hidden = true;
  }
}
