import type { readOutput } from '../definitions/read-output';
import type { ToolImplementation } from '../tool';

export const runReadOutput: ToolImplementation<typeof readOutput.input> = async (input, ctx) => {
  const log = await ctx.client.call('exec.log', { processId: input.process_id, ...(input.offset !== undefined && { offset: input.offset }), limit: input.limit });
  const text = log.chunks.map((c) => c.data).join('');
  const status = log.running ? 'still running' : log.exitCode !== null ? `exited with code ${log.exitCode}` : `killed by ${log.signal}`;
  const skipped = input.offset !== undefined && log.offset > input.offset ? ` (older output before byte ${log.offset} is no longer kept)` : '';
  return `${input.process_id} is ${status}. Bytes ${log.offset}-${log.nextOffset}${skipped}; continue with offset ${log.nextOffset}.\n${text || '(no output)'}`;
};
