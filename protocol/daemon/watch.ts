import { z } from 'zod';

/**
 * Workspace change events, batched. Each batch has the next cursor. The daemon keeps recent batches:
 * a client that passes the `epoch` and last `cursor` it saw gets every batch after it replayed, or
 * `resync: true` when they are gone (or the daemon restarted) and it must re-list.
 * `.git/` and `node_modules/` contents are not watched (the directories themselves are).
 */
export const ChangeKind = z.enum(['create', 'modify', 'delete']);
export const Change = z.object({ path: z.string(), kind: ChangeKind, directory: z.boolean() });
export type Change = z.infer<typeof Change>;

export const SubscribeParams = z.object({
  epoch: z.string().max(100).optional(),
  cursor: z.number().int().nonnegative().optional(),
});
export const SubscribeResult = z.object({
  epoch: z.string(),
  /** The newest cursor at subscribe time; replayed batches have cursors up to it. */
  cursor: z.number().int().nonnegative(),
  resync: z.boolean(),
});

export const BatchEvent = z.object({ cursor: z.number().int().positive(), changes: z.array(Change) });
/** Changes were lost (too many at once, or the watcher hit a limit): re-list, continue from `cursor`. */
export const ResyncEvent = z.object({ cursor: z.number().int().positive(), reason: z.string() });
