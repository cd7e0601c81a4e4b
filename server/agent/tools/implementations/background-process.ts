import { setTimeout as delay } from 'node:timers/promises';
import { ToolFailure, type ToolContext } from '../tool';

const POLL_MS = 150;
const TAIL_BYTES = 4000;

export interface BackgroundRequest {
  command: string;
  cwd: string;
  waitMs: number;
  port?: number;
  pattern?: string;
}

/**
 * Starts a long-running process and returns once it is ready: the port listens, the pattern
 * appears in its output, or (with neither) a new port opens; or when it exits or the wait ends.
 * The process keeps running either way.
 */
export async function startInBackground(ctx: ToolContext, request: BackgroundRequest): Promise<{ content: string; isError: boolean }> {
  let pattern: RegExp | undefined;
  try {
    pattern = request.pattern ? new RegExp(request.pattern, 'm') : undefined;
  } catch (error) {
    throw new ToolFailure(`wait_for_pattern is not a valid regular expression: ${(error as Error).message}`);
  }
  const portsBefore = new Set((await ctx.client.call('ports.list', {})).ports.map((p) => p.port));
  const { processId } = await ctx.client.call('exec.start', { command: request.command, cwd: request.cwd, label: 'agent (background)' });
  const deadline = Date.now() + request.waitMs;
  let output = '';
  let offset = 0;
  for (;;) {
    ctx.signal.throwIfAborted();
    const log = await ctx.client.call('exec.log', { processId, offset, limit: 256 * 1024 });
    output = (output + log.chunks.map((c) => c.data).join('')).slice(-64 * 1024);
    offset = log.nextOffset;
    const tail = output.slice(-TAIL_BYTES);
    if (!log.running) {
      return { isError: true, content: `The process exited right away (${log.exitCode !== null ? `exit code ${log.exitCode}` : `signal ${log.signal}`}), process ${processId}. Output:\n${tail || '(none)'}` };
    }
    if (pattern?.test(output)) return { isError: false, content: `Started in the background as ${processId}; its output matched /${request.pattern}/. It keeps running. Output so far:\n${tail}` };
    const ports = (await ctx.client.call('ports.list', {})).ports.map((p) => p.port);
    const opened = request.port !== undefined ? ports.filter((p) => p === request.port) : pattern ? [] : ports.filter((p) => !portsBefore.has(p) && p !== ctx.daemonPort);
    if (opened.length) {
      const port = opened[0]!;
      return { isError: false, content: `Started in the background as ${processId}; port ${port} is listening (preview: ${ctx.previewOrigin(port)}). It keeps running. Output so far:\n${tail || '(none)'}` };
    }
    if (Date.now() >= deadline) {
      const waited = request.port !== undefined ? `port ${request.port} to listen` : pattern ? `/${request.pattern}/ in the output` : 'a port to open';
      return { isError: false, content: `Started in the background as ${processId}; still running, but after ${Math.round(request.waitMs / 1000)} s there is no sign of ${waited}. Check read_output. Output so far:\n${tail || '(none)'}` };
    }
    await delay(POLL_MS, undefined, { signal: ctx.signal });
  }
}
