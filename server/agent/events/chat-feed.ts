import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import type { ChatEvent } from '../../../protocol/chat';
import type { Sql, Tx } from '../../db/database';
import type { Logger } from '../../log';
import { appendEvent, appendEvents, CHAT_CHANNEL, parseNotice } from './event-store';
import type { ChatEventBody } from '../../../protocol/chat';

/** Told that event `seq` of a chat exists; `event` is absent when it must be read from the database. */
export type FeedListener = (seq: number, event: ChatEvent | undefined) => void;

/**
 * Chat events for the listeners of this process. Events appended here are published at once,
 * after their commit; events appended by other processes arrive through NOTIFY.
 */
export class ChatFeed {
  /** Names this process in notices, so it skips its own. */
  readonly origin = `${hostname()}:${process.pid}:${randomBytes(4).toString('hex')}`;
  private readonly listeners = new Map<string, Set<FeedListener>>();
  private unlisten: (() => Promise<void>) | undefined;

  constructor(private readonly sql: Sql, private readonly log: Logger) {}

  async start(): Promise<void> {
    const { unlisten } = await this.sql.listen(CHAT_CHANNEL, (payload) => {
      const notice = parseNotice(payload);
      if (notice && notice.origin !== this.origin) this.publish(notice.chatId, notice.seq, notice.event);
    });
    this.unlisten = unlisten;
  }

  async stop(): Promise<void> {
    await this.unlisten?.();
    this.unlisten = undefined;
  }

  /** Persists an event, then tells this process's listeners. */
  async append(chatId: string, body: ChatEventBody): Promise<ChatEvent> {
    const event = await appendEvent(this.sql, this.origin, chatId, body);
    this.publish(chatId, event.seq, event);
    return event;
  }

  /** Persists several events in one round trip (in order, all or none), then tells this process's listeners in order. */
  async appendMany(chatId: string, bodies: ChatEventBody[]): Promise<ChatEvent[]> {
    const events = await appendEvents(this.sql, this.origin, chatId, bodies);
    for (const event of events) this.publish(chatId, event.seq, event);
    return events;
  }

  /** Persists events inside a transaction; `publish` them after it commits. */
  appendIn(tx: Tx, chatId: string, body: ChatEventBody): Promise<ChatEvent> {
    return appendEvent(tx, this.origin, chatId, body);
  }

  publish(chatId: string, seq: number, event: ChatEvent | undefined): void {
    for (const listener of this.listeners.get(chatId) ?? []) {
      try {
        listener(seq, event);
      } catch (err) {
        this.log.warn({ err, chatId }, 'chat listener failed');
      }
    }
  }

  listen(chatId: string, listener: FeedListener): () => void {
    let set = this.listeners.get(chatId);
    if (!set) this.listeners.set(chatId, (set = new Set()));
    set.add(listener);
    return () => {
      set.delete(listener);
      if (set.size === 0 && this.listeners.get(chatId) === set) this.listeners.delete(chatId);
    };
  }
}
