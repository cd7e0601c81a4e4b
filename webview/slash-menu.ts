import { completions, type SlashCommandInfo } from './slash-commands';

/**
 * The small completion list of slash commands above the input: typing `/` at the start lists them,
 * more letters narrow it; ↑/↓ move, Tab or Enter complete (Enter on a command already typed in full
 * sends it), Escape closes. Keys are caught in the capture phase, before Enter-to-send.
 */
export class SlashMenu {
  readonly node = document.createElement('div');
  private shown: SlashCommandInfo[] = [];
  private active = 0;

  constructor(private readonly input: HTMLTextAreaElement, box: HTMLElement) {
    this.node.className = 'mention-picker slash-menu';
    this.node.dataset.testid = 'slash-menu';
    this.node.setAttribute('role', 'listbox');
    this.node.hidden = true;
    input.addEventListener('input', () => this.update());
    input.addEventListener('blur', () => setTimeout(() => this.close(), 150));
    box.addEventListener('keydown', (event) => this.key(event), true);
  }

  private update(): void {
    this.shown = completions(this.input.value);
    if (!this.shown.length) return this.close();
    this.active = Math.min(this.active, this.shown.length - 1);
    this.draw();
  }

  private draw(): void {
    this.node.hidden = false;
    this.node.replaceChildren(...this.shown.map((command, index) => {
      const row = document.createElement('div');
      row.className = `mention-item${index === this.active ? ' active' : ''}`;
      row.dataset.testid = 'slash-item';
      row.setAttribute('role', 'option');
      row.setAttribute('aria-selected', String(index === this.active));
      const usage = document.createElement('span');
      usage.textContent = command.usage;
      const description = document.createElement('span');
      description.className = 'muted';
      description.textContent = command.description;
      row.append(usage, description);
      row.addEventListener('mousedown', (event) => {
        event.preventDefault();
        this.complete(index);
      });
      return row;
    }));
  }

  private key(event: KeyboardEvent): void {
    if (this.node.hidden || event.target !== this.input) return;
    const move = (by: number) => {
      this.active = (this.active + by + this.shown.length) % this.shown.length;
      this.draw();
    };
    if (event.key === 'ArrowDown') move(1);
    else if (event.key === 'ArrowUp') move(-1);
    else if (event.key === 'Escape') this.close();
    else if (event.key === 'Tab' || (event.key === 'Enter' && !event.shiftKey)) {
      // A command typed in full goes on to be sent.
      if (event.key === 'Enter' && this.input.value.trim().toLowerCase() === `/${this.shown[this.active]!.name}`) return this.close();
      this.complete(this.active);
    } else return;
    event.preventDefault();
    event.stopPropagation();
  }

  private complete(index: number): void {
    const command = this.shown[index];
    if (!command) return;
    this.input.value = `/${command.name} `;
    this.input.selectionStart = this.input.selectionEnd = this.input.value.length;
    this.input.dispatchEvent(new Event('input'));
    this.close();
    this.input.focus();
  }

  private close(): void {
    this.node.hidden = true;
    this.active = 0;
  }
}
