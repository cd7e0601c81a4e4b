import * as vscode from 'vscode';
import { makeMessage, parseFromWebview, toWebview, type FromWebviewMessage, type ToWebviewMessage, type WebviewCommand } from '../../protocol/webview';
import type { z } from 'zod';
import type { ServerConnection } from '../connection/server-connection';
import type { Logger } from '../log';
import type { ProjectsModel } from '../projects/projects-model';
import type { ProjectSelection } from '../projects/selection';
import { chatPage } from './chat-html';
import { chatAvailability, projectForWebview, sessionForWebview } from './chat-state';

export const CHAT_VIEW_ID = 'slipway.chat';

const COMMANDS: Record<WebviewCommand, string> = {
  signIn: 'slipway.signIn',
  signOut: 'slipway.signOut',
  createProject: 'slipway.createProject',
  selectProject: 'slipway.selectProject',
  showLog: 'slipway.showLog',
};

/** The chat view in the Slipway container. For now it shows who is signed in and the selected project. */
export class ChatViewProvider implements vscode.WebviewViewProvider, vscode.Disposable {
  private view: vscode.WebviewView | undefined;
  private readonly disposables: vscode.Disposable[] = [];

  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly deps: { connection: ServerConnection; model: ProjectsModel; selection: ProjectSelection; log: Logger },
  ) {
    this.disposables.push(
      vscode.window.registerWebviewViewProvider(CHAT_VIEW_ID, this, { webviewOptions: { retainContextWhenHidden: false } }),
      deps.connection.onDidChange(() => this.pushAll()),
      deps.selection.onDidChange(() => this.pushProject()),
    );
    const off = deps.model.onChange(() => this.pushProject());
    this.disposables.push({ dispose: off });
  }

  resolveWebviewView(view: vscode.WebviewView): void {
    this.view = view;
    const dist = vscode.Uri.joinPath(this.extensionUri, 'dist');
    view.webview.options = { enableScripts: true, localResourceRoots: [dist] };
    view.webview.html = chatPage({
      cspSource: view.webview.cspSource,
      scriptUri: view.webview.asWebviewUri(vscode.Uri.joinPath(dist, 'webview.js')).toString(),
      styleUri: view.webview.asWebviewUri(vscode.Uri.joinPath(dist, 'webview.css')).toString(),
    }).html;
    const listening = view.webview.onDidReceiveMessage((raw: unknown) => this.receive(raw));
    view.onDidDispose(() => {
      listening.dispose();
      if (this.view === view) this.view = undefined;
    });
  }

  private receive(raw: unknown): void {
    const parsed = parseFromWebview(raw);
    if (!parsed.ok) return this.deps.log.warn(`chat view sent a message that is not the protocol: ${parsed.error}`);
    this.handle(parsed.message);
  }

  private handle(message: FromWebviewMessage): void {
    switch (message.type) {
      case 'ready':
        return this.pushAll();
      case 'command.run':
        void vscode.commands.executeCommand(COMMANDS[message.payload.command]);
        return;
      case 'log':
        this.deps.log[message.payload.level](`chat view: ${message.payload.message}`);
        return;
    }
  }

  private pushAll(): void {
    const state = this.deps.connection.state;
    this.post('session.state', sessionForWebview(state));
    this.post('chat.availability', chatAvailability(state));
    this.pushProject();
  }

  private pushProject(): void {
    const id = this.deps.selection.projectId;
    this.post('project.selected', { project: projectForWebview(id ? this.deps.model.find(id) : undefined) });
  }

  private post<K extends ToWebviewMessage['type']>(type: K, payload: z.input<(typeof toWebview)[K]>): void {
    if (!this.view) return;
    void this.view.webview.postMessage(makeMessage(toWebview, type, payload));
  }

  dispose(): void {
    for (const d of this.disposables) d.dispose();
  }
}
