import type { ChatEvent } from '../../../protocol/chat';
import type { Sql } from '../../db/database';
import type { ChatFeed } from './chat-feed';
import { readEvents } from './event-store';

const PAGE = 500;

/**
 * Delivers a chat's events after `fromSeq` exactly once and in order: what is in the database
 * first, then live events. Live events that arrive out of order or without their body (large
 * ones from other processes) make it read the gap from the database; since sequence numbers are
 * handed out under a row lock, a visible seq N means every seq below N is readable.
 */
export class OrderedReader {
  private next: number;
  private known: number;
  private catching: Promise<void> | undefined;
  private stopListening: (() => void) | undefined;
  private closed = false;

  constructor(
    private readonly sql: Sql,
    private readonly feed: ChatFeed,
    private readonly chatId: string,
    fromSeq: number,
    private readonly send: (event: ChatEvent) => void,
    private readonly onError: (error: unknown) => void = () => undefined,
  ) {
    this.next = fromSeq + 1;
    this.known = fromSeq;
  }

  /** Starts listening, then replays what is stored (listening first leaves no gap). */
  start(): void {
    this.stopListening = this.feed.listen(this.chatId, (seq, event) => this.offer(seq, event));
    this.catchUp();
  }

  close(): void {
    this.closed = true;
    this.stopListening?.();
  }

  /** The sequence number of the last event delivered. */
  get delivered(): number {
    return this.next - 1;
  }

  private offer(seq: number, event: ChatEvent | undefined): void {
    if (this.closed || seq < this.next) return;
    if (seq === this.next && event && !this.catching) {
      this.next++;
      this.send(event);
      return;
    }
    this.known = Math.max(this.known, seq);
    this.catchUp();
  }

  private catchUp(): void {
    if (this.catching) return;
    this.catching = (async () => {
      while (!this.closed) {
        const events = await readEvents(this.sql, this.chatId, this.next - 1, PAGE);
        for (const event of events) {
          if (this.closed || event.seq < this.next) continue;
          this.next = event.seq + 1;
          this.send(event);
        }
        // A full page may have more behind it; an event announced during the read may have
        // committed after the read began.
        if (events.length < PAGE && this.next > this.known) break;
      }
    })()
      .catch((error: unknown) => {
        this.close();
        this.onError(error);
      })
      .finally(() => {
        this.catching = undefined;
        if (!this.closed && this.next <= this.known) this.catchUp();
      });
  }
}
