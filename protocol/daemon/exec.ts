import { z } from 'zod';
import { EnvVars, WorkspacePath } from './paths';

/** An argv array is spawned directly; a string runs through `bash -c`. */
export const Command = z.union([z.array(z.string().max(64 * 1024)).min(1).max(10_000), z.string().min(1).max(256 * 1024)]);
export type Command = z.infer<typeof Command>;

export const Signal = z.enum(['SIGTERM', 'SIGKILL', 'SIGINT', 'SIGHUP', 'SIGQUIT', 'SIGUSR1', 'SIGUSR2']);
export type Signal = z.infer<typeof Signal>;

export const ProcessId = z.string().regex(/^proc_\d{1,12}$/);
export const OutputStream = z.enum(['stdout', 'stderr']);
export type OutputStream = z.infer<typeof OutputStream>;

const commonSpawn = {
  command: Command,
  cwd: WorkspacePath.default('.'),
  env: EnvVars.default({}),
};

export const MAX_RUN_OUTPUT_BYTES = 4 * 1024 * 1024;
export const RunParams = z.object({
  ...commonSpawn,
  /** Killed (process group, SIGTERM then SIGKILL) after this long. */
  timeoutMs: z.number().int().min(1).max(3_600_000).default(60_000),
  /** Per stream; the rest stays in the process log (`exec.log`). */
  maxOutputBytes: z.number().int().min(0).max(MAX_RUN_OUTPUT_BYTES).default(64 * 1024),
  stdin: z.string().max(1024 * 1024).optional(),
});
export const RunResult = z.object({
  processId: ProcessId,
  exitCode: z.number().int().nullable(),
  signal: z.string().nullable(),
  stdout: z.string(),
  stderr: z.string(),
  truncated: z.boolean(),
  timedOut: z.boolean(),
  durationMs: z.number().nonnegative(),
});
export type RunResult = z.infer<typeof RunResult>;

export const StartParams = z.object({
  ...commonSpawn,
  /** No timeout unless given. */
  timeoutMs: z.number().int().min(1).max(7 * 24 * 3_600_000).optional(),
  label: z.string().max(200).optional(),
});
export const StartResult = z.object({ processId: ProcessId, pid: z.number().int() });

export const ProcessInfo = z.object({
  processId: ProcessId,
  pid: z.number().int(),
  command: Command,
  cwd: z.string(),
  label: z.string().nullable(),
  startedAt: z.number(),
  running: z.boolean(),
  exitCode: z.number().int().nullable(),
  signal: z.string().nullable(),
  /** Bytes of output produced so far (the end offset of the log). */
  logBytes: z.number().int().nonnegative(),
});
export type ProcessInfo = z.infer<typeof ProcessInfo>;

export const ProcessParams = z.object({ processId: ProcessId });

export const LogChunk = z.object({ stream: OutputStream, data: z.string(), offset: z.number().int().nonnegative() });
export type LogChunk = z.infer<typeof LogChunk>;

export const LogParams = z.object({
  processId: ProcessId,
  /** Byte offset into the combined stdout+stderr log; absent means "the last `limit` bytes". */
  offset: z.number().int().nonnegative().optional(),
  limit: z.number().int().min(1).max(4 * 1024 * 1024).default(64 * 1024),
});
export const LogResult = z.object({
  chunks: z.array(LogChunk),
  /** Where the returned data starts (later than asked when older output was dropped). */
  offset: z.number().int().nonnegative(),
  nextOffset: z.number().int().nonnegative(),
  running: z.boolean(),
  exitCode: z.number().int().nullable(),
  signal: z.string().nullable(),
});

export const KillParams = z.object({ processId: ProcessId, signal: Signal.default('SIGTERM') });

/** Stream: replays the log from `offset` (default 0) as `exec.output` events, then live output. */
export const SubscribeParams = z.object({ processId: ProcessId, offset: z.number().int().nonnegative().default(0) });
export const SubscribeResult = z.object({ processId: ProcessId, running: z.boolean() });

export const OutputEvent = z.object({ processId: ProcessId, stream: OutputStream, data: z.string(), offset: z.number().int() });
export const ExitEvent = z.object({ processId: ProcessId, exitCode: z.number().int().nullable(), signal: z.string().nullable() });
