import type { AgentMode } from '../protocol/chat';

const LABELS: Record<AgentMode, { text: string; title: string }> = {
  act: { text: 'Act', title: 'Act: the agent changes files and runs commands (/act)' },
  plan: { text: 'Plan', title: 'Plan: the agent only reads and proposes a plan you can edit, then Act runs it (/plan)' },
};

/** The input bar's Act | Plan switch: the mode of the next message. */
export class ModePicker {
  readonly node = document.createElement('div');
  private current: AgentMode;
  private readonly buttons: Record<AgentMode, HTMLButtonElement>;

  constructor(private readonly changed: (mode: AgentMode) => void, initial: AgentMode = 'act') {
    this.current = initial;
    this.node.className = 'mode-picker';
    this.node.setAttribute('role', 'group');
    this.node.setAttribute('aria-label', 'Mode of the next message');
    this.buttons = { act: this.button('act'), plan: this.button('plan') };
    this.node.append(this.buttons.act, this.buttons.plan);
    this.draw();
  }

  get mode(): AgentMode {
    return this.current;
  }

  set(mode: AgentMode): void {
    if (mode === this.current) return;
    this.current = mode;
    this.draw();
    this.changed(mode);
  }

  private button(mode: AgentMode): HTMLButtonElement {
    const node = document.createElement('button');
    node.type = 'button';
    node.textContent = LABELS[mode].text;
    node.title = LABELS[mode].title;
    node.dataset.testid = `mode-${mode}`;
    node.addEventListener('click', (event) => {
      event.preventDefault();
      this.set(mode);
    });
    return node;
  }

  private draw(): void {
    for (const mode of ['act', 'plan'] as const) {
      this.buttons[mode].setAttribute('aria-pressed', String(mode === this.current));
      this.buttons[mode].classList.toggle('on', mode === this.current);
    }
    this.node.dataset.mode = this.current;
  }
}
