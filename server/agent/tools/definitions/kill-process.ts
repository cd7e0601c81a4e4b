import { z } from 'zod';
import { defineTool } from '../tool';

export const killProcess = defineTool({
  name: 'kill_process',
  description: 'Stop a process started with run_command (background or not), with its children.',
  category: 'execute',
  input: z.object({
    process_id: z.string().regex(/^proc_\d{1,12}$/, 'a process id like proc_12'),
    force: z.boolean().default(false).describe('SIGKILL instead of SIGTERM'),
  }).strict(),
  summarize: (input) => `stop ${input.process_id}`,
});
