import type { ModelOption } from '../protocol/chat-models';

/** "Claude · 200k context · $3 / $15 per M tokens" (context and price as the server reports them). */
export function modelLabel(option: ModelOption): string {
  const context = `${Math.round(option.contextTokens / 1000)}k context`;
  const price = option.price ? `$${option.price.inputPerMTok} / $${option.price.outputPerMTok} per M tokens` : 'price unknown';
  return `${option.name} · ${context} · ${price}`;
}

function detail(option: ModelOption): string {
  const context = { configured: 'as configured', known: 'the model\'s own window', assumed: 'the server\'s default' }[option.contextSource];
  const price = option.priceSource === 'configured' ? 'price as configured by the team' : option.priceSource === 'known' ? 'list price' : 'no known price';
  return `${option.kind} model ${option.model}; context ${option.contextTokens.toLocaleString()} tokens (${context}); ${price}`;
}

/** The chat's model: a select of the team's models, hidden while the team has none to choose from. */
export class ModelPicker {
  readonly node = document.createElement('select');
  private signature = '';

  constructor(chosen: (modelId: string | null) => void) {
    this.node.className = 'model-picker';
    this.node.dataset.testid = 'model-picker';
    this.node.setAttribute('aria-label', 'Model of this chat');
    this.node.hidden = true;
    this.node.addEventListener('change', () => chosen(this.node.value || null));
  }

  render(models: { list: ModelOption[]; selected: string | null }): void {
    const signature = JSON.stringify(models);
    if (signature === this.signature) return;
    this.signature = signature;
    this.node.replaceChildren(...models.list.map((option) => {
      const node = document.createElement('option');
      node.value = option.id ?? '';
      node.textContent = modelLabel(option);
      node.title = detail(option);
      return node;
    }));
    this.node.value = models.selected ?? '';
    this.node.hidden = models.list.length === 0;
    this.node.title = models.list.find((o) => (o.id ?? '') === this.node.value)?.model ?? '';
  }

  focus(): void {
    this.node.focus();
    this.node.showPicker?.();
  }
}
