import type { Sql } from '../../db/database';
import type { WsConnection } from '../../ws/ws-connection';
import type { ChatFeed } from '../events/chat-feed';
import { OrderedReader } from '../events/ordered-reader';

/** A socket's chat subscriptions: one ordered reader per chat, closed with the socket. */
export class ChatSubscriptions {
  private readonly byConnection = new WeakMap<WsConnection, Map<string, OrderedReader>>();

  constructor(private readonly sql: Sql, private readonly feed: ChatFeed) {}

  /** Starts after the current tick, so the subscribe reply reaches the client before any event. */
  subscribe(connection: WsConnection, chatId: string, fromSeq: number): void {
    let readers = this.byConnection.get(connection);
    if (!readers) {
      const created = new Map<string, OrderedReader>();
      this.byConnection.set(connection, (readers = created));
      connection.onClose(() => { for (const reader of created.values()) reader.close(); });
    }
    readers.get(chatId)?.close();
    const reader = new OrderedReader(this.sql, this.feed, chatId, fromSeq, (event) => connection.sendEvent('chat.event', { chatId, event }),
      () => connection.socket.close(1011, 'chat replay failed; reconnect'));
    readers.set(chatId, reader);
    setImmediate(() => reader.start());
  }

  unsubscribe(connection: WsConnection, chatId: string): void {
    const readers = this.byConnection.get(connection);
    readers?.get(chatId)?.close();
    readers?.delete(chatId);
  }
}
