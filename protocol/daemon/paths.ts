import { z } from 'zod';

/**
 * A path inside the sandbox workspace: relative to its root (`src/app.ts`, `.` for the root), or
 * absolute but under it. The daemon refuses `..` segments, NUL bytes and anything that resolves
 * outside the workspace; this schema only bounds the size.
 */
export const WorkspacePath = z.string().min(1).max(4096);
export type WorkspacePath = z.infer<typeof WorkspacePath>;

/** Environment additions for commands and terminals. */
export const EnvVars = z.record(z.string().min(1).max(256), z.string().max(32 * 1024));
