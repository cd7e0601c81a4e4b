import * as vscode from 'vscode';
import type { Chat } from '../../protocol/chat';
import type { FromWebviewMessage, WebviewChat } from '../../protocol/webview';
import type { ServerConnection } from '../connection/server-connection';
import { whenOpen } from '../connection/when-open';
import type { Logger } from '../log';
import { openPreview } from '../preview/open-preview';
import type { ProjectsModel } from '../projects/projects-model';
import { ChatCommands } from './chat-commands';
import { ChatFeed } from './chat-feed';
import type { DiffViews } from './diff-view';
import type { ChatPost } from './chat-post';

type ChatMessage = Extract<FromWebviewMessage, { type: `chat.${string}` }>;

const toView = ({ id, projectId, title, state, lastSeq, updatedAt, modelId }: Chat): WebviewChat => ({ id, projectId, title, state, lastSeq, updatedAt, modelId });

/**
 * The agent's side of the chat view: which chat of the selected project is open, following its
 * events (ChatFeed), and the view's requests (send, stop, approve, diff, preview) as server calls.
 */
export class ChatController {
  private feed: ChatFeed | undefined;
  private open: Chat | undefined;
  private projectId: string | undefined;
  /** The project whose chat is on show (set once `show` succeeded). */
  shown: string | undefined;

  private readonly commands: ChatCommands;

  constructor(private readonly deps: { connection: ServerConnection; model: ProjectsModel; diffs: DiffViews; log: Logger; post: ChatPost }) {
    this.commands = new ChatCommands(deps.post, () => this.socket());
  }

  /** The view (re)loaded, holding `lastSeq` events of `chatId`; or the selected project changed. */
  async show(projectId: string | undefined, resume: { chatId: string | null; lastSeq: number } = { chatId: null, lastSeq: 0 }): Promise<void> {
    if (projectId !== this.projectId) this.close();
    this.projectId = projectId;
    this.shown = undefined;
    if (!projectId) return this.deps.post('chat.opened', { chat: null, fromSeq: 0 });
    const chats = await this.history(projectId);
    if (projectId !== this.projectId) return;
    const chat = chats.find((c) => c.id === (this.open?.id ?? resume.chatId)) ?? (this.open ? undefined : chats[0]);
    if (!chat) this.deps.post('chat.opened', { chat: null, fromSeq: 0 });
    else this.follow(chat, chat.id === resume.chatId ? resume.lastSeq : 0);
    this.shown = projectId;
    this.refreshModels();
  }

  async handle(message: ChatMessage): Promise<void> {
    try {
      await this.run(message);
    } catch (error) {
      const text = this.deps.connection.explain(error);
      this.deps.log.warn(`chat: ${message.type} failed: ${text}`);
      this.deps.post('chat.failed', { message: text.slice(0, 2000) });
    }
  }

  private async run(message: ChatMessage): Promise<void> {
    const projectId = this.projectId;
    switch (message.type) {
      case 'chat.new':
        this.close();
        this.deps.post('chat.opened', { chat: null, fromSeq: 0 });
        return this.refreshModels();
      case 'chat.open': {
        const chat = projectId ? (await this.history(projectId)).find((c) => c.id === message.payload.chatId) : undefined;
        if (!chat) throw new Error('That chat is not in the selected project.');
        this.follow(chat, 0);
        return this.refreshModels();
      }
      case 'chat.refreshHistory':
        if (projectId) await this.history(projectId);
        return;
      case 'chat.send': {
        if (!projectId) throw new Error('Pick a project first.');
        const socket = await this.socket();
        if (!this.open) {
          const { chat } = await socket.request('chats.create', { projectId, title: message.payload.text.replace(/\s+/g, ' ').slice(0, 80) });
          await this.commands.created(chat);
          this.follow(chat, 0);
          void this.history(projectId);
        }
        await socket.request('chat.send', { chatId: this.open!.id, ...message.payload });
        return;
      }
      case 'chat.compact':
        return this.commands.compact(this.openId());
      case 'chat.checkpoint':
        return this.commands.checkpoint(this.openId(), message.payload.message);
      case 'chat.setModel':
        if (!projectId) throw new Error('Pick a project first.');
        return this.commands.setModel(projectId, this.open, message.payload.modelId);
      case 'chat.cancel':
        await (await this.socket()).request('chat.cancel', { chatId: this.openId() });
        return;
      case 'chat.resume':
        await (await this.socket()).request('chat.resume', { chatId: this.openId() });
        return;
      case 'chat.approve':
        await (await this.socket()).request('chat.approve', { chatId: this.openId(), ...message.payload });
        return;
      case 'chat.openDiff':
        if (!projectId) throw new Error('Pick a project first.');
        return this.deps.diffs.open(projectId, message.payload);
      case 'chat.undoFiles':
        await (await this.socket()).request('checkpoints.restore', { checkpointId: message.payload.checkpointId, conversation: false, paths: message.payload.paths });
        return;
      case 'chat.copyCode':
        await vscode.env.clipboard.writeText(message.payload.text);
        return;
      case 'chat.insertCode': {
        const editor = vscode.window.activeTextEditor ?? vscode.window.visibleTextEditors[0];
        if (!editor) throw new Error('Open a file to insert the code into.');
        await editor.edit((edit) => editor.selections.forEach((selection) => edit.replace(selection, message.payload.text)));
        await vscode.window.showTextDocument(editor.document, editor.viewColumn);
        return;
      }
      case 'chat.openPreview': {
        const project = projectId ? this.deps.model.find(projectId) : undefined;
        if (!project) throw new Error('The project is no longer there.');
        await openPreview(this.deps.connection, project, message.payload.port);
        return;
      }
    }
  }

  /** The selected project's chats, newest first (for the title bar's chat picker). */
  async chats(): Promise<Chat[]> {
    return this.projectId ? this.history(this.projectId) : [];
  }

  /** Shows `chat`, its events after `fromSeq` (the view has the ones before). */
  private follow(chat: Chat, fromSeq: number): void {
    const socket = this.deps.connection.socket;
    if (!socket) throw new Error('Sign in first.');
    this.open = chat;
    const feed = this.feed;
    if (feed?.chatId === chat.id && fromSeq >= feed.baseSeq) {
      this.deps.post('chat.opened', { chat: toView(chat), fromSeq });
      const held = feed.since(fromSeq);
      if (held.length) this.deps.post('chat.events', { chatId: chat.id, events: held });
      return;
    }
    this.feed?.dispose();
    this.deps.post('chat.opened', { chat: toView(chat), fromSeq });
    this.feed = new ChatFeed(socket, chat.id, fromSeq, {
      events: (chatId, events) => {
        this.deps.post('chat.events', { chatId, events });
        if (events.some((e) => e.body.type === 'done') && this.projectId) void this.history(this.projectId).catch(() => undefined);
      },
      failed: (text) => this.deps.post('chat.failed', { message: text.slice(0, 2000) }),
    });
  }

  /** The team's models changed (added, removed, its default set): the picker lists them again. */
  modelsChanged(): void {
    this.refreshModels();
  }

  /** The project's models and the open chat's choice, to the view (a failure only costs the picker). */
  private refreshModels(): void {
    const projectId = this.projectId;
    if (projectId) this.commands.models(projectId, this.open).catch((error: unknown) => this.deps.log.warn(`chat: models could not be listed: ${this.deps.connection.explain(error)}`));
  }

  /** The account's socket changed (sign-in, sign-out). */
  connectionChanged(): void {
    const socket = this.deps.connection.socket;
    if (!socket) this.close();
    else this.feed?.useSocket(socket);
  }

  private async history(projectId: string): Promise<Chat[]> {
    const { chats } = await (await this.socket()).request('chats.list', { projectId });
    const sorted = [...chats].sort((a, b) => b.updatedAt.localeCompare(a.updatedAt));
    if (projectId === this.projectId) this.deps.post('chat.history', { projectId, chats: sorted.slice(0, 500).map(toView) });
    return sorted;
  }

  private async socket() {
    const socket = this.deps.connection.socket;
    if (!socket) throw new Error('Sign in to a Slipway server first.');
    await whenOpen(socket);
    return socket;
  }

  get openChatId(): string | null {
    return this.open?.id ?? null;
  }

  private openId(): string {
    if (!this.open) throw new Error('No chat is open.');
    return this.open.id;
  }

  private close(): void {
    this.feed?.dispose();
    this.feed = undefined;
    this.open = undefined;
  }

  dispose(): void {
    this.close();
  }
}
