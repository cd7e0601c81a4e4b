import type { WebviewCommand } from '../protocol/webview';
import { el, itemNode, textButton, type ItemActions, type ItemUi } from './render-items';
import { mcpSection } from './render-mcp';
import type { Item, Transcript } from './transcript';
import type { ViewModel } from './view-model';

export interface ChatActions extends ItemActions {
  run(command: WebviewCommand): void;
  cancel(): void;
  resume(): void;
  openPreview(port: number): void;
  copyCode(text: string): void;
  insertCode(text: string): void;
}

/**
 * The scrolling part of the view: the plan, the transcript, and the turn's state under it. Entries
 * are redrawn only when their object changed (the reducer is immutable); it stays scrolled to the
 * bottom while the user is there.
 */
export class ChatPane {
  readonly scroller = el('section', 'scroller');
  private readonly welcome = el('div', 'welcome');
  private readonly plan = el('section', 'plan');
  private readonly mcp = el('section', 'mcp');
  private readonly transcript = el('section', 'transcript');
  private readonly status = el('section', 'turn-status');
  private drawn: { item: Item; node: HTMLElement }[] = [];
  private drawnChat: string | null = null;
  private readonly ui: ItemUi = { expanded: new Set(), kept: new Set() };

  constructor(private readonly actions: ChatActions) {
    this.transcript.dataset.testid = 'transcript';
    this.status.dataset.testid = 'turn-status';
    this.scroller.append(this.welcome, this.mcp, this.plan, this.transcript, this.status);
    // Copy / Insert of code blocks (their buttons come from the Markdown renderer).
    this.transcript.addEventListener('click', (event) => {
      const target = event.target as HTMLElement | null;
      const action = target?.closest<HTMLElement>('[data-code-action]');
      const code = action?.closest('.code-block')?.querySelector('code')?.textContent;
      if (!action || code == null) return;
      if (action.dataset.codeAction === 'copy') {
        this.actions.copyCode(code);
        action.textContent = 'Copied';
        setTimeout(() => (action.textContent = 'Copy'), 1500);
      } else {
        this.actions.insertCode(code);
      }
    });
  }

  /** Remembers a kept change (its buttons go away). */
  keep(key: string): void {
    this.ui.kept.add(key);
    this.redrawAll();
  }

  render(view: ViewModel, welcome: Node[]): void {
    const atBottom = this.scroller.scrollHeight - this.scroller.scrollTop - this.scroller.clientHeight < 40;
    this.welcome.replaceChildren(...welcome);
    this.welcome.hidden = welcome.length === 0;
    this.mcp.replaceChildren(...mcpSection(view.transcript.mcp));
    this.renderPlan(view.transcript);
    this.renderTranscript(view);
    this.renderStatus(view);
    if (atBottom) this.scroller.scrollTop = this.scroller.scrollHeight;
  }

  private redrawAll(): void {
    for (const entry of this.drawn) {
      const node = itemNode(entry.item, this.actions, this.ui);
      entry.node.replaceWith(node);
      entry.node = node;
    }
  }

  private renderPlan(t: Transcript): void {
    if (!t.todos.length) return this.plan.replaceChildren();
    const details = el('details', 'plan-box') as HTMLDetailsElement;
    details.open = true;
    const done = t.todos.filter((todo) => todo.status === 'completed').length;
    details.append(el('summary', '', `Plan · ${done}/${t.todos.length}`));
    const list = el('ul', 'todos');
    for (const todo of t.todos) list.append(el('li', `todo ${todo.status}`, `${TODO_MARKS[todo.status]} ${todo.content}`));
    details.append(list);
    this.plan.replaceChildren(details);
    this.plan.dataset.testid = 'plan';
  }

  private renderTranscript(view: ViewModel): void {
    const t = view.transcript;
    if (t.chatId !== this.drawnChat || t.items.length < this.drawn.length) {
      this.drawn = [];
      this.drawnChat = t.chatId;
      this.transcript.replaceChildren();
    }
    t.items.forEach((item, index) => {
      const drawn = this.drawn[index];
      if (drawn?.item === item) return;
      const node = itemNode(item, this.actions, this.ui);
      if (drawn) drawn.node.replaceWith(node);
      else this.transcript.append(node);
      this.drawn[index] = { item, node };
    });
  }

  private renderStatus(view: ViewModel): void {
    const t = view.transcript;
    const parts: HTMLElement[] = [];
    if (t.running) {
      const running = el('div', 'working');
      running.append(el('span', 'spinner'), el('span', 'muted', 'Working…'));
      parts.push(running);
    } else if (t.lastStatus && t.lastStatus !== 'completed' && !t.needsModel && view.chat.enabled) {
      parts.push(rowOf(textButton('Resume', () => this.actions.resume(), 'resume')));
    }
    if (t.ports.length && view.project) {
      parts.push(rowOf(...t.ports.map((port) => textButton(`Open Preview :${port}`, () => this.actions.openPreview(port), 'open-preview'))));
    }
    if (view.failure) parts.push(el('div', 'note error', view.failure));
    this.status.replaceChildren(...parts);
  }
}

const TODO_MARKS = { pending: '○', in_progress: '◐', completed: '●' } as const;

function rowOf(...children: HTMLElement[]): HTMLElement {
  const row = el('div', 'row');
  row.append(...children);
  return row;
}
