import { z } from 'zod';
import { WorkspacePath } from './paths';

/**
 * `type` follows symlinks that stay inside the workspace; a symlink that dangles or points outside
 * is reported as `symlink`. `path` is always relative to the workspace root (`.` is the root).
 */
export const EntryType = z.enum(['file', 'directory', 'symlink', 'other']);
export type EntryType = z.infer<typeof EntryType>;

export const Entry = z.object({
  path: z.string(),
  name: z.string(),
  type: EntryType,
  isSymlink: z.boolean(),
  size: z.number().int().nonnegative(),
  mtimeMs: z.number(),
  /** Permission bits, e.g. 0o644. */
  mode: z.number().int().nonnegative(),
});
export type Entry = z.infer<typeof Entry>;

export const StatParams = z.object({ path: WorkspacePath });

export const MAX_LIST_LIMIT = 20_000;
export const ListParams = z.object({
  path: WorkspacePath.default('.'),
  recursive: z.boolean().default(false),
  /** Directory levels below `path` to descend when recursive (1 = direct children only). */
  maxDepth: z.number().int().min(1).max(64).default(64),
  /** Entries returned at most; `truncated` says when more existed. */
  limit: z.number().int().min(1).max(MAX_LIST_LIMIT).default(5000),
  /** Skip what .gitignore files (and `.git/`) exclude. Defaults to true when recursive. */
  gitignore: z.boolean().optional(),
});
export const ListResult = z.object({ entries: z.array(Entry), truncated: z.boolean() });

export const MkdirParams = z.object({ path: WorkspacePath, recursive: z.boolean().default(true) });

export const MoveParams = z.object({
  from: WorkspacePath,
  to: WorkspacePath,
  overwrite: z.boolean().default(false),
});

export const CopyParams = MoveParams.extend({ recursive: z.boolean().default(true) });

export const DeleteParams = z.object({ path: WorkspacePath, recursive: z.boolean().default(false) });
