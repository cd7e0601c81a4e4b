import type { ChatEvent } from '../../../protocol/chat';
import type { Sql } from '../../db/database';
import { readEvents } from './event-store';

const PAGE = 5000;

/** About what an event holds in memory: its JSON (an image's base64 is most of a large one). */
const sizeOf = (events: ChatEvent[]): number => events.reduce((n, e) => n + JSON.stringify(e.body).length, 0);

/**
 * The events of the chats this process ran turns for lately, so that a turn reads from the
 * database only what came after the last one it saw (a chat's log is append-only and its seqs
 * become visible in order, so what is kept never goes stale). At most `keep` chats and about
 * `maxBytes` of events are held, the least recently used dropped first (a chat larger than that alone
 * is not kept: pasted images make logs large, and members choose how many chats they fill).
 * Callers must not change the events they get.
 */
export class ChatHistory {
  private readonly chats = new Map<string, { events: ChatEvent[]; bytes: number }>();
  private bytes = 0;

  constructor(private readonly keep = 32, private readonly maxBytes = 64 * 1024 * 1024) {}

  /** What is held now: chats and about how many bytes (for tests). */
  get held(): { chats: number; bytes: number } {
    return { chats: this.chats.size, bytes: this.bytes };
  }

  /** Every event of the chat so far, in seq order. */
  async read(sql: Sql, chatId: string): Promise<ChatEvent[]> {
    const known = this.chats.get(chatId) ?? { events: [], bytes: 0 };
    const all = [...known.events];
    let bytes = known.bytes;
    for (let after = known.events.at(-1)?.seq ?? 0; ;) {
      const page = await readEvents(sql, chatId, after, PAGE);
      all.push(...page);
      bytes += sizeOf(page);
      if (page.length < PAGE) break;
      after = page.at(-1)!.seq;
    }
    // Another turn of the same chat may have stored a longer log meanwhile: keep the longer one.
    const current = this.chats.get(chatId);
    this.drop(chatId);
    const kept = current && current.events.length > all.length ? current : { events: all, bytes };
    if (this.keep > 0 && kept.bytes <= this.maxBytes) {
      this.chats.set(chatId, kept);
      this.bytes += kept.bytes;
    }
    for (const oldest of this.chats.keys()) {
      if (this.chats.size <= this.keep && this.bytes <= this.maxBytes) break;
      this.drop(oldest);
    }
    return [...all]; // the caller's own array: what is kept stays as read
  }

  private drop(chatId: string): void {
    this.bytes -= this.chats.get(chatId)?.bytes ?? 0;
    this.chats.delete(chatId);
  }
}
