import { randomBytes } from 'node:crypto';
import type { Change } from '../../../protocol/daemon/watch';

export type JournalEntry = { cursor: number; changes: Change[] } | { cursor: number; resync: string };

export interface JournalOptions {
  batchMs: number;
  /** More changes than this in one batch become a resync. */
  maxBatchChanges: number;
  /** Batches kept for clients resuming from a cursor. */
  keepEntries: number;
}

/**
 * Gathers changes for `batchMs`, coalescing repeats of a path, then publishes them as one entry
 * with the next cursor. Keeps recent entries so a client can resume after its last cursor.
 */
export class ChangeJournal {
  /** Changes per daemon run: cursors from an earlier run mean nothing. */
  readonly epoch = randomBytes(8).toString('hex');
  cursor = 0;
  private pending = new Map<string, Change>();
  private overflowReason: string | undefined;
  private timer: NodeJS.Timeout | undefined;
  private readonly entries: JournalEntry[] = [];
  private readonly subscribers = new Set<(entry: JournalEntry) => void>();

  constructor(private readonly options: JournalOptions = { batchMs: 50, maxBatchChanges: 10_000, keepEntries: 2000 }) {}

  add(change: Change): void {
    if (this.overflowReason) return;
    const previous = this.pending.get(change.path);
    this.pending.delete(change.path);
    const kind = previous?.kind === 'create' && change.kind === 'modify' ? 'create' : change.kind;
    this.pending.set(change.path, { ...change, kind });
    if (this.pending.size > this.options.maxBatchChanges) this.overflow(`more than ${this.options.maxBatchChanges} changes at once`);
    this.schedule();
  }

  overflow(reason: string): void {
    this.overflowReason ??= reason;
    this.pending.clear();
    this.schedule();
  }

  /** Entries after `cursor`, or undefined when some of them are no longer kept. */
  since(cursor: number): JournalEntry[] | undefined {
    if (cursor > this.cursor) return undefined;
    const oldest = this.entries[0]?.cursor ?? this.cursor + 1;
    if (cursor + 1 < oldest) return undefined;
    return this.entries.filter((entry) => entry.cursor > cursor);
  }

  subscribe(subscriber: (entry: JournalEntry) => void): () => void {
    this.subscribers.add(subscriber);
    return () => this.subscribers.delete(subscriber);
  }

  close(): void {
    clearTimeout(this.timer);
    this.subscribers.clear();
  }

  private schedule(): void {
    this.timer ??= setTimeout(() => this.flush(), this.options.batchMs);
  }

  private flush(): void {
    this.timer = undefined;
    const cursor = this.cursor + 1;
    let entry: JournalEntry;
    if (this.overflowReason) entry = { cursor, resync: this.overflowReason };
    else if (this.pending.size > 0) entry = { cursor, changes: [...this.pending.values()] };
    else return;
    this.cursor = cursor;
    this.pending = new Map();
    this.overflowReason = undefined;
    this.entries.push(entry);
    if (this.entries.length > this.options.keepEntries) this.entries.shift();
    for (const subscriber of this.subscribers) subscriber(entry);
  }
}
