import { z } from 'zod';
import { EnvVars, WorkspacePath } from './paths';

export const TerminalId = z.string().regex(/^term_\d{1,12}$/);
const Cols = z.number().int().min(1).max(2000);
const Rows = z.number().int().min(1).max(1000);

export const OpenParams = z.object({
  cols: Cols.default(80),
  rows: Rows.default(24),
  cwd: WorkspacePath.default('.'),
  env: EnvVars.default({}),
  /** argv; defaults to a login bash. */
  command: z.array(z.string().max(64 * 1024)).min(1).max(1000).optional(),
});

export const TerminalInfo = z.object({
  terminalId: TerminalId,
  pid: z.number().int(),
  cols: z.number().int(),
  rows: z.number().int(),
  running: z.boolean(),
  exitCode: z.number().int().nullable(),
});
export type TerminalInfo = z.infer<typeof TerminalInfo>;

export const TerminalParams = z.object({ terminalId: TerminalId });
export const InputParams = z.object({ terminalId: TerminalId, data: z.string().max(256 * 1024) });
export const ResizeParams = z.object({ terminalId: TerminalId, cols: Cols, rows: Rows });

/** Stream: answers the scrollback, then `pty.output` events with live output. */
export const SubscribeResult = TerminalInfo.extend({ scrollback: z.string() });

export const OutputEvent = z.object({ terminalId: TerminalId, data: z.string() });
export const ExitEvent = z.object({ terminalId: TerminalId, exitCode: z.number().int().nullable(), signal: z.number().int().nullable() });
