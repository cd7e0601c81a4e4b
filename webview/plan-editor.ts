import type { TodoItem } from '../protocol/chat';
import { el, textButton } from './render-items';
import type { Transcript } from './transcript';

/**
 * After a plan-mode turn: the plan as editable steps (reword, remove, add), and Act, which sends
 * it as the user left it in act mode. Edits survive redraws until the agent changes the plan.
 */
export class PlanEditor {
  readonly node = el('div', 'plan-editor');
  private signature = '';
  private steps: TodoItem[] = [];
  private readonly list = el('ol', 'plan-steps');

  constructor(private readonly act: (plan: TodoItem[]) => void) {
    this.node.dataset.testid = 'plan-editor';
    this.node.hidden = true;
    const add = textButton('Add step', () => {
      this.steps.push({ content: '', status: 'pending' });
      this.draw();
      (this.list.lastElementChild?.querySelector('input') as HTMLInputElement | null)?.focus();
    }, 'plan-add');
    const go = textButton('Act', () => this.act(this.steps.map((s) => ({ ...s, content: s.content.trim() })).filter((s) => s.content)), 'plan-act', true);
    go.title = 'Run this plan in act mode';
    const bar = el('div', 'row');
    bar.append(add, go);
    this.node.append(el('div', 'muted', 'The agent proposes this plan. Edit the steps, then Act runs it.'), this.list, bar);
  }

  render(t: Transcript): void {
    const ready = !t.running && t.lastMode === 'plan' && t.lastStatus === 'completed';
    this.node.hidden = !ready;
    if (!ready) {
      this.signature = '';
      return;
    }
    const signature = JSON.stringify([t.chatId, t.todos]);
    if (signature === this.signature) return;
    this.signature = signature;
    this.steps = t.todos.map((todo) => ({ ...todo }));
    this.draw();
  }

  private draw(): void {
    this.list.replaceChildren(...this.steps.map((step, index) => {
      const row = el('li', 'plan-step');
      const input = document.createElement('input');
      input.type = 'text';
      input.value = step.content;
      input.maxLength = 500;
      input.dataset.testid = 'plan-step';
      input.setAttribute('aria-label', `Step ${index + 1}`);
      input.addEventListener('input', () => { this.steps[index] = { ...step, content: input.value }; });
      const remove = textButton('✕', () => {
        this.steps.splice(index, 1);
        this.draw();
      }, 'plan-remove');
      remove.title = 'Remove this step';
      row.append(input, remove);
      return row;
    }));
  }
}
