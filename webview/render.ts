import type { AgentMode, TodoItem } from '../protocol/chat';
import type { ChatAttachment } from '../protocol/chat-context';
import type { MentionItem } from '../protocol/webview';
import { AttachmentTray } from './attachments';
import { MentionPicker } from './mention-picker';
import { ModePicker } from './mode-picker';
import { ModelPicker } from './model-picker';
import { PlanEditor } from './plan-editor';
import { parseInput } from './slash-commands';
import { SlashMenu } from './slash-menu';
import { runSlashCommand, type SlashActions } from './slash-run';
import { ChatPane, type ChatActions } from './render-chat';
import { el, textButton } from './render-items';
import { connectionLabel, projectStatusLabel, type ViewModel } from './view-model';

export interface RenderActions extends ChatActions, SlashActions {
  draftChanged(value: string): void;
  send(text: string, attachments: ChatAttachment[], mode: AgentMode, plan?: TodoItem[]): void;
  /** The `@` picker wants its entries (answered by `mentionItems`). */
  listMentions(): void;
  /** The input's chips changed (saved with the draft). */
  attachmentsChanged(attachments: ChatAttachment[]): void;
  /** An image or mention could not be attached: why. */
  attachFailed(message: string): void;
  /** The Act | Plan switch changed (saved with the draft). */
  modeChanged(mode: AgentMode): void;
}

/** The input grows with its text up to this many pixels, then scrolls. */
const MAX_INPUT_PX = 240;

/**
 * The view as VS Code's own chat lays it out: a one-line header (project · status · model), the
 * conversation filling the rest, and the input docked at the bottom, growing with its text. Enter
 * sends, Shift+Enter is a new line, Escape stops the agent. Built once and updated in place, so the
 * input keeps its focus and text.
 */
export class ChatViewRenderer {
  private readonly header = el('header', 'chat-head');
  private readonly chat: ChatPane;
  private readonly composer = el('footer', 'composer');
  private readonly input: HTMLTextAreaElement;
  private readonly send: HTMLButtonElement;
  private readonly stop: HTMLButtonElement;
  private readonly hint = el('div', 'hint');
  private readonly usage = el('span', 'usage muted');
  private readonly tray: AttachmentTray;
  private readonly picker: MentionPicker;
  private readonly mode: ModePicker;
  private readonly model: ModelPicker;
  private readonly planEditor: PlanEditor;
  private view: ViewModel | undefined;
  private canSend = false;
  private running = false;
  private lastHeader = '';

  constructor(root: HTMLElement, private readonly actions: RenderActions, draft: string, attachments: ChatAttachment[] = [], mode: AgentMode = 'act') {
    this.chat = new ChatPane(actions);
    this.input = document.createElement('textarea');
    this.input.rows = 1;
    this.input.value = draft;
    this.input.placeholder = 'Ask Slipway to build or change something';
    this.input.setAttribute('aria-label', 'Message to the agent');
    this.input.addEventListener('input', () => {
      this.fit();
      actions.draftChanged(this.input.value);
    });
    this.input.addEventListener('keydown', (event) => {
      if (event.key === 'Enter' && !event.shiftKey && !event.isComposing) {
        event.preventDefault();
        this.submit();
      } else if (event.key === 'Escape' && this.running) {
        event.preventDefault();
        actions.cancel();
      }
    });
    const box = el('div', 'input-box');
    box.dataset.testid = 'chat-input';
    this.send = textButton('Send', () => this.submit(), 'chat-send', true);
    this.send.title = 'Send (Enter) · new line: Shift+Enter';
    this.stop = textButton('Stop', () => actions.cancel(), 'stop');
    this.stop.title = 'Stop the agent (Escape)';
    this.mode = new ModePicker((next) => {
      this.placeholder(next);
      actions.modeChanged(next);
    }, mode);
    this.model = new ModelPicker((modelId) => actions.setModel(modelId));
    this.planEditor = new PlanEditor((plan) => actions.send('Carry out the plan.', [], 'act', plan.length ? plan : undefined));
    const bar = el('div', 'input-bar');
    bar.append(this.mode.node, this.model.node, this.usage, this.stop, this.send);
    this.tray = new AttachmentTray(this.input, (message) => actions.attachFailed(message), (list) => actions.attachmentsChanged(list), attachments);
    this.picker = new MentionPicker(this.input, box, () => actions.listMentions(), (item) => this.tray.add(item.attachment));
    const slash = new SlashMenu(this.input, box);
    box.append(this.picker.node, slash.node, this.tray.node, this.input, bar);
    this.hint.dataset.testid = 'chat-hint';
    this.composer.append(this.hint, this.planEditor.node, box);
    root.replaceChildren(this.header, this.chat.scroller, this.composer);
    // Escape stops the agent wherever the focus is in the view.
    document.addEventListener('keydown', (event) => {
      if (event.key === 'Escape' && this.running && event.target !== this.input) actions.cancel();
    });
    // Focus lands in the input when the view is shown.
    window.addEventListener('focus', () => this.focus());
    queueMicrotask(() => this.fit());
  }

  render(view: ViewModel): void {
    this.view = view;
    this.renderHeader(view);
    this.model.render(view.models);
    this.planEditor.render(view.transcript);
    this.chat.render(view, this.welcome(view));
    this.running = view.transcript.running;
    this.canSend = view.chat.enabled && !this.running;
    this.hint.textContent = view.chat.enabled ? '' : view.chat.reason;
    this.hint.hidden = view.chat.enabled;
    this.composer.hidden = !view.user;
    this.input.disabled = !view.chat.enabled;
    this.send.disabled = !this.canSend;
    this.send.hidden = this.running;
    this.stop.hidden = !this.running;
    this.placeholder(this.mode.mode);
    const u = view.transcript.usage;
    this.usage.textContent = u.inputTokens || u.outputTokens ? `${compact(u.inputTokens)} in · ${compact(u.outputTokens)} out${u.costUsd === null ? '' : ` · $${u.costUsd.toFixed(2)}`}` : '';
    this.usage.dataset.testid = 'usage';
    if (view.chat.enabled && document.activeElement === document.body) this.focus();
  }

  keep(key: string): void {
    this.chat.keep(key);
  }

  mentionItems(items: MentionItem[]): void {
    this.picker.setItems(items);
  }

  /** An editor action's context (and prompt) into the input. */
  attach(attachments: ChatAttachment[], text: string): void {
    for (const a of attachments) this.tray.add(a);
    if (text) {
      this.input.value = this.input.value ? `${this.input.value} ${text}` : text;
      this.actions.draftChanged(this.input.value);
      this.fit();
    }
    this.focus();
  }

  focus(): void {
    if (!this.input.disabled) this.input.focus();
  }

  private fit(): void {
    this.input.style.height = 'auto';
    this.input.style.height = `${Math.min(this.input.scrollHeight, MAX_INPUT_PX)}px`;
    this.input.style.overflowY = this.input.scrollHeight > MAX_INPUT_PX ? 'auto' : 'hidden';
  }

  private placeholder(mode: AgentMode): void {
    const enabled = this.view?.chat.enabled ?? false;
    this.input.placeholder = !enabled ? this.view?.chat.reason ?? '' : mode === 'plan' ? 'Plan: ask for a plan (the agent reads, changes nothing)… / for commands' : 'Ask Slipway to build or change… / for commands';
  }

  private submit(): void {
    const text = this.input.value.trim();
    // While the agent works, commands still go (/new, /model, /checkpoint…); messages wait.
    if (!text || !this.view?.chat.enabled || (!this.canSend && parseInput(text).kind === 'message')) return;
    const handled = runSlashCommand(text, {
      ...this.actions,
      send: (message, mode) => this.actions.send(message, this.tray.take(), mode),
      setMode: (mode) => this.mode.set(mode),
      mode: () => this.mode.mode,
      pickModel: () => this.model.focus(),
      models: () => this.view?.models.list ?? [],
    });
    if (!handled) return;
    this.input.value = '';
    this.fit();
    this.actions.draftChanged('');
  }

  /** project · status · model, each a link to where it is changed; the connection when it is not open. */
  private renderHeader(view: ViewModel): void {
    const signature = JSON.stringify([view.user?.email, view.connection, view.detail, view.project, view.teamModel, view.models.selected]);
    if (signature === this.lastHeader) return;
    this.lastHeader = signature;
    this.header.hidden = !view.user;
    if (!view.user) return this.header.replaceChildren();
    const parts: HTMLElement[] = [];
    const project = link(view.project ? view.project.name : 'Pick a project', view.project ? `Project: ${view.project.name} (change…)` : 'Pick a project', () => this.actions.run('selectProject'));
    project.classList.add('project');
    if (view.project) project.dataset.testid = 'selected-project';
    parts.push(project);
    if (view.connection !== 'open') {
      const status = el('span', `status ${view.connection}`, connectionLabel(view.connection));
      status.dataset.testid = 'connection';
      status.title = view.detail || connectionLabel(view.connection);
      parts.push(dot(), status);
    } else if (view.project) {
      const status = el('span', `status project-${view.project.status.toLowerCase()}`, projectStatusLabel(view.project));
      status.dataset.testid = 'project-status';
      status.title = view.project.statusMessage ?? '';
      parts.push(dot(), status);
    }
    // The chat's own choice when it made one (changed in the picker), else the team's model.
    const chosen = view.models.selected ? view.models.list.find((m) => m.id === view.models.selected) : undefined;
    if (chosen) {
      const model = link(chosen.model, `This chat's model: ${chosen.name} (change…)`, () => this.model.focus());
      model.classList.add('model');
      model.dataset.testid = 'chat-model';
      parts.push(dot(), model);
    } else if (view.project && view.teamModel.teamId) {
      const model = link(view.teamModel.label, `Model: ${view.teamModel.label} (change…)`, () => this.actions.run('setTeamModel'));
      model.classList.add('model');
      model.dataset.testid = 'team-model';
      parts.push(dot(), model);
    }
    this.header.title = `Signed in as ${view.user.name} (${view.user.email}) on ${view.user.serverUrl}`;
    this.header.replaceChildren(...parts);
  }

  /** What the empty conversation shows: sign in, pick a project, or what to ask. */
  private welcome(view: ViewModel): Node[] {
    if (view.transcript.items.length) return [];
    if (!view.user) {
      const note = el('p', '', 'Sign in to your team\'s Slipway server to chat with the agent about your projects.');
      note.dataset.testid = 'signed-out';
      const detail = view.detail ? [el('p', 'note error', view.detail)] : [];
      return [el('h2', '', 'Slipway'), note, ...detail, textButton('Sign In', () => this.actions.run('signIn'), 'sign-in', true)];
    }
    const who = el('p', 'muted who');
    who.dataset.testid = 'signed-in-user';
    who.append('Signed in as ', el('strong', '', view.user.name), ` (${view.user.email}) on ${view.user.serverUrl}`);
    if (!view.project) {
      const row = el('div', 'row');
      row.append(textButton('Create Project', () => this.actions.run('createProject'), 'create-project', true), textButton('Pick a Project…', () => this.actions.run('selectProject')));
      return [el('p', '', 'Pick a project to chat about, or create one.'), row, who];
    }
    return [el('p', '', `Ask the agent to build or change something in ${view.project.name}.`), who];
  }
}

function link(text: string, title: string, onClick: () => void): HTMLElement {
  const node = document.createElement('a');
  node.href = '#';
  node.textContent = text;
  node.title = title;
  node.addEventListener('click', (event) => {
    event.preventDefault();
    onClick();
  });
  return node;
}

const dot = (): HTMLElement => el('span', 'sep', '·');

const compact = (n: number): string => (n >= 10_000 ? `${Math.round(n / 1000)}k` : n.toLocaleString());
