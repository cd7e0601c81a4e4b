import type { Chat } from '../../protocol/chat';
import type { SocketClient } from '../../protocol/client/socket-client';
import type { ChatPost } from './chat-post';

/**
 * The chat view's slash commands that reach the server (`/compact`, `/checkpoint`) and the chat's
 * model: the project's choices go to the view as `chat.models`; a choice made before the chat
 * exists is applied when the first message creates it.
 */
export class ChatCommands {
  private pendingModel: string | null = null;

  constructor(private readonly post: ChatPost, private readonly socket: () => Promise<SocketClient>) {}

  /** Sends the project's models and the open chat's (or the next chat's) choice to the view. */
  async models(projectId: string, open: Chat | undefined): Promise<void> {
    const { models } = await (await this.socket()).request('models.list', { projectId });
    this.post('chat.models', { models, selected: open ? open.modelId : this.pendingModel });
  }

  async setModel(projectId: string, open: Chat | undefined, modelId: string | null): Promise<void> {
    if (open) {
      await (await this.socket()).request('chat.setModel', { chatId: open.id, modelId });
      open.modelId = modelId;
    } else {
      this.pendingModel = modelId;
    }
    await this.models(projectId, open);
  }

  /** A chat was just created for the first message: it takes the model chosen before it existed. */
  async created(chat: Chat): Promise<void> {
    if (this.pendingModel === null) return;
    await (await this.socket()).request('chat.setModel', { chatId: chat.id, modelId: this.pendingModel });
    chat.modelId = this.pendingModel;
    this.pendingModel = null;
  }

  async compact(chatId: string): Promise<void> {
    await (await this.socket()).request('chat.compact', { chatId });
  }

  async checkpoint(chatId: string, message: string | undefined): Promise<void> {
    await (await this.socket()).request('chat.checkpoint', { chatId, ...(message && { message }) });
  }
}
