import type { ChatEvent, ChatEventBody } from '../../../protocol/chat';
import type { ChatFeed } from './chat-feed';

interface Pending {
  body: ChatEventBody;
  resolve: (event: ChatEvent) => void;
  reject: (error: unknown) => void;
}

/** At most this many queued events go into one write. */
const MAX_BATCH = 64;

/**
 * Writes one chat's events in order. Events emitted while a write is in flight queue up and go to
 * the database together in the next write (one statement, one round trip: "group commit"); text
 * deltas queued back to back are merged into one event. An idle writer starts writing once the
 * emitting code yields (a microtask later), so events emitted together are written together. Clients replaying and clients watching live see the same events, since only
 * persisted events are relayed, in sequence order.
 */
export class ChatWriter {
  private readonly queue: Pending[] = [];
  private working = false;
  private failure: unknown;

  constructor(private readonly feed: ChatFeed, readonly chatId: string) {}

  /** Resolves once the event is persisted and relayed. */
  emit(body: ChatEventBody): Promise<ChatEvent> {
    if (this.failure) return Promise.reject(this.failure);
    return new Promise((resolve, reject) => {
      const last = this.queue.at(-1);
      if (body.type === 'text_delta' && last?.body.type === 'text_delta') {
        last.body = { type: 'text_delta', text: last.body.text + body.text };
        const previous = { resolve: last.resolve, reject: last.reject };
        last.resolve = (event) => { previous.resolve(event); resolve(event); };
        last.reject = (error) => { previous.reject(error); reject(error); };
      } else {
        this.queue.push({ body, resolve, reject });
      }
      if (!this.working) {
        // Started after the current task's synchronous code: what it emits back to back (a message
        // and its usage) goes in the same write.
        this.working = true;
        queueMicrotask(() => void this.work());
      }
    });
  }

  /** Fire and forget (text deltas): a failure surfaces on the next awaited emit. */
  push(body: ChatEventBody): void {
    this.emit(body).catch(() => undefined);
  }

  /** Resolves when everything emitted so far is written. */
  async flush(): Promise<void> {
    while (this.working || this.queue.length) await new Promise((r) => setImmediate(r));
    if (this.failure) throw this.failure;
  }

  private async work(): Promise<void> {
    try {
      while (this.queue.length) {
        // Taken before the write: later deltas merge into the next batch, never into this one.
        const batch = this.queue.splice(0, MAX_BATCH);
        try {
          const events = await this.feed.appendMany(this.chatId, batch.map((item) => item.body));
          batch.forEach((item, i) => item.resolve(events[i]!));
        } catch (error) {
          this.failure = error;
          for (const pending of [...batch, ...this.queue.splice(0)]) pending.reject(error);
        }
      }
    } finally {
      this.working = false;
    }
  }
}
