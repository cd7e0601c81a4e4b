import type { WebviewCommand } from '../protocol/webview';
import { badge, button, divider, textArea } from './components';
import { connectionLabel, projectStatusLabel, type ViewModel } from './view-model';

export interface RenderActions {
  run(command: WebviewCommand): void;
  draftChanged(value: string): void;
}

/** Builds the view once and updates it in place, so the chat input keeps its focus and text. */
export class ChatViewRenderer {
  private readonly account = el('section', 'account');
  private readonly project = el('section', 'project');
  private readonly transcript = el('section', 'transcript');
  private readonly hint = el('p', 'hint');
  private readonly input: HTMLElement;
  private readonly send: HTMLElement;

  constructor(root: HTMLElement, private readonly actions: RenderActions, draft: string) {
    this.input = textArea({ placeholder: 'Describe what to build…', value: draft, disabled: true, rows: 4, testId: 'chat-input', onInput: (v) => actions.draftChanged(v) });
    this.send = button({ label: 'Send', disabled: true, testId: 'chat-send', onClick: () => undefined });
    this.transcript.dataset.testid = 'transcript';
    const composer = el('section', 'composer');
    composer.append(this.input, row(this.send), this.hint);
    root.replaceChildren(this.account, divider(), this.project, divider(), this.transcript, composer);
  }

  render(view: ViewModel): void {
    this.renderAccount(view);
    this.renderProject(view);
    this.hint.textContent = view.chat.enabled ? '' : view.chat.reason;
    this.hint.dataset.testid = 'chat-hint';
    for (const control of [this.input, this.send]) control.toggleAttribute('disabled', !view.chat.enabled);
    this.input.setAttribute('placeholder', view.chat.enabled ? 'Describe what to build…' : view.chat.reason);
    if (!this.transcript.childElementCount) this.transcript.append(el('p', 'empty', 'Your conversation with the agent will appear here.'));
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
