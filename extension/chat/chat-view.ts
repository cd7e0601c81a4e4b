import * as vscode from 'vscode';
import { makeMessage, parseFromWebview, toWebview, type FromWebviewMessage, type WebviewCommand } from '../../protocol/webview';
import type { ServerConnection } from '../connection/server-connection';
import type { Logger } from '../log';
import type { TeamModelStatus } from '../model/team-model';
import type { ProjectsModel } from '../projects/projects-model';
import type { ProjectSelection } from '../projects/selection';
import { ChatController } from './chat-controller';
import { chatPage } from './chat-html';
import type { ChatPost } from './chat-post';
import { chatAvailability, projectForWebview, sessionForWebview } from './chat-state';
import { DiffViews } from './diff-view';
import { MentionSource } from './mention-source';
import { SendMessage } from '../../protocol/chat';
import type { ChatAttachment } from '../../protocol/chat-context';

export const CHAT_VIEW_ID = 'slipway.chat';

const COMMANDS: Record<WebviewCommand, string> = {
  signIn: 'slipway.signIn',
  signOut: 'slipway.signOut',
  createProject: 'slipway.createProject',
  selectProject: 'slipway.selectProject',
  showLog: 'slipway.showLog',
  setTeamModel: 'slipway.setTeamModel',
  restoreCheckpoint: 'slipway.restoreCheckpoint',
};

/** The chat view in the Slipway container: who is signed in, the selected project, and its chats with the agent. */
export class ChatViewProvider implements vscode.WebviewViewProvider, vscode.Disposable {
  private view: vscode.WebviewView | undefined;
  private readonly disposables: vscode.Disposable[] = [];
  private readonly chat: ChatController;

  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly deps: { connection: ServerConnection; model: ProjectsModel; selection: ProjectSelection; teamModel: TeamModelStatus; log: Logger },
  ) {
    const diffs = new DiffViews();
    this.mentions = new MentionSource(deps.connection);
    this.chat = new ChatController({ connection: deps.connection, model: deps.model, diffs, log: deps.log, post: this.post });
    this.disposables.push(
      diffs,
      this.chat,
      vscode.window.registerWebviewViewProvider(CHAT_VIEW_ID, this, { webviewOptions: { retainContextWhenHidden: false } }),
      deps.connection.onDidChange(() => this.connectionChanged()),
      deps.teamModel.onDidChange(() => {
        this.pushModel();
        // A team model added or removed: the picker lists the models again.
        this.chat.modelsChanged();
      }),
      deps.selection.onDidChange(() => {
        this.pushProject();
        void this.showChat({ chatId: null, lastSeq: 0 });
      }),
    );
    const off = deps.model.onChange(() => this.pushProject());
    this.disposables.push({ dispose: off });
  }

  resolveWebviewView(view: vscode.WebviewView): void {
    this.view = view;
    this.ready = false;
    const dist = vscode.Uri.joinPath(this.extensionUri, 'dist');
    view.webview.options = { enableScripts: true, localResourceRoots: [dist] };
    view.webview.html = chatPage({
      cspSource: view.webview.cspSource,
      scriptUri: view.webview.asWebviewUri(vscode.Uri.joinPath(dist, 'webview.js')).toString(),
      styleUri: view.webview.asWebviewUri(vscode.Uri.joinPath(dist, 'webview.css')).toString(),
    }).html;
    const listening = view.webview.onDidReceiveMessage((raw: unknown) => this.receive(raw));
    // A hidden view's page is discarded (retainContextWhenHidden is off): it loads again, and says `ready`, when shown.
    const visibility = view.onDidChangeVisibility(() => {
      if (!view.visible) this.ready = false;
    });
    view.onDidDispose(() => {
      listening.dispose();
      visibility.dispose();
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
        this.resume = message.payload;
        this.pushAll();
        void this.showChat(this.resume).finally(() => {
          this.ready = true;
          for (const resolve of this.readyWaiters.splice(0)) resolve();
        });
        return;
      case 'command.run':
        void vscode.commands.executeCommand(COMMANDS[message.payload.command]);
        return;
      case 'log':
        this.deps.log[message.payload.level](`chat view: ${message.payload.message}`);
        return;
      case 'mention.list':
        void this.listMentions();
        return;
      default:
        void this.chat.handle(message);
    }
  }

  private wasOpen = false;
  /** What the view had when it last loaded: a later (re)connection resumes after it too. */
  private resume: { chatId: string | null; lastSeq: number } = { chatId: null, lastSeq: 0 };

  private connectionChanged(): void {
    this.pushAll();
    this.chat.connectionChanged();
    // When the socket opens and the chat could not be shown yet (after activation or sign-in), show it;
    // an open chat's feed resubscribes by itself.
    const open = this.deps.connection.socket?.state.status === 'open';
    if (open && !this.wasOpen && this.chat.shown !== this.deps.selection.projectId) void this.showChat(this.resume);
    if (open && !this.wasOpen) void this.deps.teamModel.follow(this.selectedProject()?.teamId, true);
    this.wasOpen = open;
  }

  /** Shows the selected project's chat, resuming after what the view already has. */
  private async showChat(resume: { chatId: string | null; lastSeq: number }): Promise<void> {
    if (!this.deps.connection.socket || !this.view) return;
    await this.chat.show(this.deps.selection.projectId, resume).catch((error: unknown) => {
      this.post('chat.failed', { message: this.deps.connection.explain(error).slice(0, 2000) });
    });
  }

  private pushAll(): void {
    const state = this.deps.connection.state;
    this.post('session.state', sessionForWebview(state, this.deps.connection.signedOutBecause));
    this.pushProject();
    this.pushModel();
  }

  private selectedProject() {
    const id = this.deps.selection.projectId;
    return id ? this.deps.model.find(id) : undefined;
  }

  private pushProject(): void {
    const project = this.selectedProject();
    this.post('project.selected', { project: projectForWebview(project) });
    this.post('chat.availability', chatAvailability(this.deps.connection.state, project));
    void this.deps.teamModel.follow(project?.teamId);
  }

  private pushModel(): void {
    const { teamId, label } = this.deps.teamModel;
    this.post('model.state', { teamId: teamId ?? null, label });
  }

  private readonly mentions: MentionSource;

  private async listMentions(): Promise<void> {
    const projectId = this.deps.selection.projectId;
    if (!projectId) return this.post('mention.items', { items: [], truncated: false });
    try {
      this.post('mention.items', await this.mentions.items(projectId));
    } catch (error) {
      this.post('chat.failed', { message: `The project's files could not be listed: ${this.deps.connection.explain(error)}`.slice(0, 2000) });
    }
  }

  /** An editor action: puts context (and a prompt) into the input, or sends it at once. */
  async attach(attachments: ChatAttachment[], text: string, send: boolean): Promise<void> {
    await vscode.commands.executeCommand(`${CHAT_VIEW_ID}.focus`);
    // A view that is (re)loading would miss what is posted now: wait until it shows the chat.
    await this.viewReady();
    if (send) return this.chat.handle({ type: 'chat.send', payload: SendMessage.parse({ text, attachments }) });
    this.post('composer.attach', { attachments, text });
  }

  /** The view's page has loaded and shows the chat (`ready` answered). */
  private ready = false;
  private readonly readyWaiters: (() => void)[] = [];

  private viewReady(): Promise<void> {
    if (this.ready && this.view?.visible) return Promise.resolve();
    return new Promise((resolve) => {
      this.readyWaiters.push(resolve);
      setTimeout(resolve, 15_000).unref?.();
    });
  }

  /** "New Chat" in the view's title bar. */
  newChat(): void {
    void this.chat.handle({ type: 'chat.new', payload: {} });
    this.view?.show(false);
  }

  /** "Chats…" in the view's title bar: the selected project's chats, to open one. */
  async pickChat(): Promise<void> {
    if (!this.deps.selection.projectId) throw new Error('Pick a project first.');
    const chats = await this.chat.chats();
    const current = this.chat.openChatId;
    const picked = await vscode.window.showQuickPick(
      chats.map((chat) => ({ label: chat.title || 'Untitled chat', description: chat.id === current ? 'open' : chat.state === 'running' ? 'working' : '', detail: new Date(chat.updatedAt).toLocaleString(), id: chat.id })),
      { title: 'Open a chat of this project', placeHolder: chats.length ? 'Chats, newest first' : 'No chats yet' },
    );
    if (picked) await this.chat.handle({ type: 'chat.open', payload: { chatId: picked.id } });
  }

  /** The chat open in the view, if any. */
  get openChatId(): string | null {
    return this.chat.openChatId;
  }

  private readonly post: ChatPost = (type, payload) => {
    if (!this.view) return;
    void this.view.webview.postMessage(makeMessage(toWebview, type, payload));
  };

  dispose(): void {
    for (const d of this.disposables) d.dispose();
  }
}
