import type { ChatEvent } from '../../protocol/chat';
import type { SocketClient } from '../../protocol/client/socket-client';

/** What the feed needs of the socket client. */
export type FeedSocket = Pick<SocketClient, 'state' | 'request' | 'on' | 'onState' | 'keep'>;

export interface FeedSink {
  events(chatId: string, events: ChatEvent[]): void;
  failed(message: string): void;
}

/**
 * Follows one chat over the socket: subscribes from the last seq it has, and again from there after
 * every reconnection, so a network drop loses nothing and repeats nothing (replays are deduped by seq).
 * Keeps the events it saw, so a view that comes back gets them without asking the server.
 */
export class ChatFeed {
  private readonly seen: ChatEvent[] = [];
  private offs: (() => void)[] = [];

  /** The seq the cache starts after: earlier events are not held here. */
  readonly baseSeq: number;

  constructor(private socket: FeedSocket, readonly chatId: string, private lastSeqValue: number, private readonly sink: FeedSink) {
    this.baseSeq = lastSeqValue;
    this.bind();
  }

  get lastSeq(): number {
    return this.lastSeqValue;
  }

  /** Events held with seq > `after`. */
  since(after: number): ChatEvent[] {
    return this.seen.filter((e) => e.seq > after);
  }

  /** The signed-in account (and so the socket) changed. */
  useSocket(socket: FeedSocket): void {
    if (socket === this.socket) return;
    this.unbind();
    this.socket = socket;
    this.bind();
  }

  private bind(): void {
    this.offs = [
      this.socket.on('chat.event', ({ chatId, event }) => {
        if (chatId !== this.chatId || event.seq <= this.lastSeqValue) return;
        this.lastSeqValue = event.seq;
        this.seen.push(event);
        this.sink.events(chatId, [event]);
      }),
      this.socket.keep('chat.subscribe', () => ({ chatId: this.chatId, fromSeq: this.lastSeqValue }), {
        onResult: () => undefined,
        onError: (error) => this.sink.failed(`Could not follow the chat: ${error instanceof Error ? error.message : String(error)}`),
      }),
    ];
  }

  private unbind(): void {
    for (const off of this.offs) off();
    this.offs = [];
  }

  dispose(): void {
    this.unbind();
    if (this.socket.state.status === 'open') this.socket.request('chat.unsubscribe', { chatId: this.chatId }).catch(() => undefined);
  }
}
