import { badge, button, divider, textArea } from './components';
import { ChatPane, type ChatActions } from './render-chat';
import { connectionLabel, projectStatusLabel, type ViewModel } from './view-model';

export interface RenderActions extends ChatActions {
  draftChanged(value: string): void;
  send(text: string): void;
}

/** Builds the view once and updates it in place, so the chat input keeps its focus and text. */
export class ChatViewRenderer {
  private readonly account = el('section', 'account');
  private readonly project = el('section', 'project');
  private readonly chat: ChatPane;
  private readonly hint = el('p', 'hint');
  private readonly input: HTMLElement & { value: string };
  private readonly send: HTMLElement;
  private canSend = false;

  constructor(root: HTMLElement, private readonly actions: RenderActions, draft: string) {
    this.chat = new ChatPane(actions);
    this.input = textArea({ placeholder: 'Describe what to build…', value: draft, disabled: true, rows: 4, testId: 'chat-input', onInput: (v) => actions.draftChanged(v) }) as HTMLElement & { value: string };
    this.input.addEventListener('keydown', (event) => {
      if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) this.submit();
    });
    this.send = button({ label: 'Send', disabled: true, testId: 'chat-send', onClick: () => this.submit() });
    const composer = el('section', 'composer');
    composer.append(this.input, row(this.send), this.hint);
    root.replaceChildren(this.account, divider(), this.project, divider(), this.chat.modelBar, this.chat.header, this.chat.plan, this.chat.transcript, this.chat.status, composer);
  }

  render(view: ViewModel): void {
    this.renderAccount(view);
    this.renderProject(view);
    this.chat.render(view);
    this.canSend = view.chat.enabled && !view.transcript.running;
    const reason = !view.chat.enabled ? view.chat.reason : view.transcript.running ? 'The agent is working; Stop to interrupt it.' : '';
    this.hint.textContent = reason;
    this.hint.dataset.testid = 'chat-hint';
    this.input.toggleAttribute('disabled', !view.chat.enabled);
    this.send.toggleAttribute('disabled', !this.canSend);
    this.input.setAttribute('placeholder', view.chat.enabled ? 'Describe what to build… (Ctrl+Enter sends)' : view.chat.reason);
  }

  private submit(): void {
    const text = this.input.value.trim();
    if (!this.canSend || !text) return;
    this.actions.send(text);
    this.input.value = '';
    this.actions.draftChanged('');
  }

  private renderAccount(view: ViewModel): void {
    const parts: Node[] = [];
    if (view.user) {
      const who = el('p', 'who');
      who.dataset.testid = 'signed-in-user';
      who.append('Signed in as ', el('strong', '', view.user.name), ` (${view.user.email})`);
      const where = el('p', 'server', view.user.serverUrl);
      const status = row(badge(connectionLabel(view.connection), 'connection'));
      if (view.detail) status.title = view.detail;
      parts.push(who, where, status);
    } else {
      const note = el('p', 'who', 'Not signed in to a Slipway server.');
      note.dataset.testid = 'signed-out';
      parts.push(note, row(button({ label: 'Sign In', testId: 'sign-in', onClick: () => this.actions.run('signIn') })));
    }
    this.account.replaceChildren(...parts);
  }

  private renderProject(view: ViewModel): void {
    const parts: Node[] = [el('h3', '', 'Project')];
    if (view.project) {
      const name = el('p', 'project-name', view.project.name);
      name.dataset.testid = 'selected-project';
      parts.push(name, row(badge(projectStatusLabel(view.project), 'project-status')));
      parts.push(row(button({ label: 'Change…', appearance: 'secondary', onClick: () => this.actions.run('selectProject') })));
    } else {
      parts.push(el('p', 'muted', view.user ? 'No project selected. Pick one in the Projects view or create one.' : 'Sign in to see your projects.'));
      if (view.user) {
        parts.push(row(
          button({ label: 'Create Project', testId: 'create-project', onClick: () => this.actions.run('createProject') }),
          button({ label: 'Pick…', appearance: 'secondary', onClick: () => this.actions.run('selectProject') }),
        ));
      }
    }
    this.project.replaceChildren(...parts);
  }
}

function el(tag: string, className: string, text?: string): HTMLElement {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

function row(...children: HTMLElement[]): HTMLElement {
  const node = el('div', 'row');
  node.append(...children);
  return node;
}
