import type { ChatEvent } from '../../../protocol/chat';
import type { Sql } from '../../db/database';
import { readEvents } from './event-store';

const PAGE = 5000;

/**
 * The events of the chats this process ran turns for lately, so that a turn reads from the
 * database only what came after the last one it saw (a chat's log is append-only and its seqs
 * become visible in order, so what is kept never goes stale). At most `keep` chats are held, the
 * least recently used dropped first. Callers must not change the events they get.
 */
export class ChatHistory {
  private readonly chats = new Map<string, ChatEvent[]>();

  constructor(private readonly keep = 32) {}

  /** Every event of the chat so far, in seq order. */
  async read(sql: Sql, chatId: string): Promise<ChatEvent[]> {
    const known = this.chats.get(chatId) ?? [];
    const all = [...known];
    for (let after = known.at(-1)?.seq ?? 0; ;) {
      const page = await readEvents(sql, chatId, after, PAGE);
      all.push(...page);
      if (page.length < PAGE) break;
      after = page.at(-1)!.seq;
    }
    // Another turn of the same chat may have stored a longer log meanwhile: keep the longer one.
    const current = this.chats.get(chatId);
    this.chats.delete(chatId);
    this.chats.set(chatId, current && current.length > all.length ? current : all);
    for (const oldest of this.chats.keys()) {
      if (this.chats.size <= this.keep) break;
      this.chats.delete(oldest);
    }
    return [...all]; // the caller's own array: what is kept stays as read
  }
}
