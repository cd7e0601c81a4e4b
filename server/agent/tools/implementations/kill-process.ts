import type { killProcess } from '../definitions/kill-process';
import type { ToolImplementation } from '../tool';

export const runKillProcess: ToolImplementation<typeof killProcess.input> = async (input, ctx) => {
  await ctx.client.call('exec.kill', { processId: input.process_id, signal: input.force ? 'SIGKILL' : 'SIGTERM' });
  return `Sent ${input.force ? 'SIGKILL' : 'SIGTERM'} to ${input.process_id} and its children.`;
};
