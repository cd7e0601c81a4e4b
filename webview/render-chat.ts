import type { WebviewCommand } from '../protocol/webview';
import { button, select, spinner } from './components';
import { el, itemNode, type ItemActions } from './render-items';
import type { Item, Transcript } from './transcript';
import type { ViewModel } from './view-model';

export interface ChatActions extends ItemActions {
  run(command: WebviewCommand): void;
  newChat(): void;
  openChat(chatId: string): void;
  cancel(): void;
  resume(): void;
  openPreview(port: number): void;
}

/**
 * The conversation part of the view: chat picker, plan, transcript, and the turn's controls.
 * Transcript entries are redrawn only when their object changed (the reducer is immutable).
 */
export class ChatPane {
  readonly header = el('section', 'chat-header');
  /** The team's model and the project's checkpoints. */
  readonly modelBar = el('section', 'model-bar');
  readonly plan = el('section', 'plan');
  readonly transcript = el('section', 'transcript');
  readonly status = el('section', 'turn-status');
  private drawn: { item: Item; node: HTMLElement }[] = [];
  private drawnChat: string | null = null;
  private readonly expanded = new Set<string>();
  private lastHeader = '';
  private lastModelBar = '';

  constructor(private readonly actions: ChatActions) {
    this.transcript.dataset.testid = 'transcript';
    this.status.dataset.testid = 'turn-status';
  }

  render(view: ViewModel): void {
    this.renderHeader(view);
    this.renderModelBar(view);
    this.renderPlan(view.transcript);
    this.renderTranscript(view);
    this.renderStatus(view);
  }

  private renderHeader(view: ViewModel): void {
    const signature = JSON.stringify([view.project?.id, view.history.map((c) => [c.id, c.title]), view.openChat?.id, view.chat.enabled]);
    if (signature === this.lastHeader) return;
    this.lastHeader = signature;
    if (!view.project || !view.user) return this.header.replaceChildren();
    const options = view.history.map((chat) => ({ value: chat.id, label: chat.title || 'Untitled chat' }));
    if (view.openChat && !options.some((o) => o.value === view.openChat!.id)) options.unshift({ value: view.openChat.id, label: view.openChat.title });
    const picker = select({ options, value: view.openChat?.id ?? '', placeholder: 'No chats yet', testId: 'chat-history', onChange: (id) => this.actions.openChat(id) });
    this.header.replaceChildren(picker, button({ label: 'New Chat', appearance: 'secondary', testId: 'new-chat', disabled: !view.chat.enabled, onClick: () => this.actions.newChat() }));
  }

  private renderModelBar(view: ViewModel): void {
    const signature = JSON.stringify([view.project?.id, !!view.user, view.teamModel]);
    if (signature === this.lastModelBar) return;
    this.lastModelBar = signature;
    if (!view.project || !view.user) return this.modelBar.replaceChildren();
    const parts: HTMLElement[] = [];
    if (view.teamModel.teamId) {
      const label = el('span', 'muted', `Model: ${view.teamModel.label}`);
      label.dataset.testid = 'team-model';
      parts.push(label, button({ label: 'Change model', appearance: 'secondary', title: 'Slipway: Set Team Model (team admins)', testId: 'change-model', onClick: () => this.actions.run('setTeamModel') }));
    }
    parts.push(button({ label: 'Checkpoints', appearance: 'secondary', title: 'Slipway: Restore Checkpoint', testId: 'checkpoints', onClick: () => this.actions.run('restoreCheckpoint') }));
    this.modelBar.replaceChildren(...parts);
  }

  private renderPlan(t: Transcript): void {
    if (!t.todos.length) return this.plan.replaceChildren();
    const list = el('ul', 'todos');
    for (const todo of t.todos) list.append(el('li', `todo ${todo.status}`, `${TODO_MARKS[todo.status]} ${todo.content}`));
    this.plan.replaceChildren(el('h3', '', 'Plan'), list);
    this.plan.dataset.testid = 'plan';
  }

  private renderTranscript(view: ViewModel): void {
    const t = view.transcript;
    if (t.chatId !== this.drawnChat || t.items.length < this.drawn.length) {
      this.drawn = [];
      this.drawnChat = t.chatId;
      this.transcript.replaceChildren();
    }
    if (!t.items.length) {
      const hint = view.project ? 'Ask the agent to build or change something in this project.' : 'Pick a project to chat about.';
      this.transcript.replaceChildren(el('p', 'empty', hint));
      return;
    }
    this.transcript.querySelector(':scope > .empty')?.remove();
    const atBottom = this.transcript.scrollHeight - this.transcript.scrollTop - this.transcript.clientHeight < 40;
    t.items.forEach((item, index) => {
      const drawn = this.drawn[index];
      if (drawn?.item === item) return;
      const node = itemNode(item, this.actions, this.expanded);
      if (drawn) drawn.node.replaceWith(node);
      else this.transcript.append(node);
      this.drawn[index] = { item, node };
    });
    if (atBottom) this.transcript.scrollTop = this.transcript.scrollHeight;
  }

  private renderStatus(view: ViewModel): void {
    const t = view.transcript;
    const parts: HTMLElement[] = [];
    if (t.running) {
      const running = el('div', 'row');
      running.append(spinner(), el('span', 'muted', 'Working…'), button({ label: 'Stop', appearance: 'secondary', testId: 'stop', onClick: () => this.actions.cancel() }));
      parts.push(running);
    } else if (t.lastStatus && t.lastStatus !== 'completed' && view.chat.enabled) {
      parts.push(rowOf(button({ label: 'Resume', appearance: 'secondary', testId: 'resume', onClick: () => this.actions.resume() })));
    }
    if (t.ports.length && view.project) {
      parts.push(rowOf(...t.ports.map((port) => button({ label: `Open Preview :${port}`, appearance: 'secondary', testId: 'open-preview', onClick: () => this.actions.openPreview(port) }))));
    }
    if (view.failure) parts.push(el('div', 'note error', view.failure));
    if (t.usage.inputTokens || t.usage.outputTokens) {
      const cost = t.usage.costUsd === null ? '' : ` · $${t.usage.costUsd.toFixed(4)}`;
      const usage = el('div', 'usage muted', `${t.usage.inputTokens.toLocaleString()} in · ${t.usage.outputTokens.toLocaleString()} out${cost}`);
      usage.dataset.testid = 'usage';
      parts.push(usage);
    }
    this.status.replaceChildren(...parts);
  }
}

const TODO_MARKS = { pending: '○', in_progress: '◐', completed: '●' } as const;

function rowOf(...children: HTMLElement[]): HTMLElement {
  const row = el('div', 'row');
  row.append(...children);
  return row;
}
