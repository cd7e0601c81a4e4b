import { z } from 'zod';
import { defineTool } from '../tool';

export const readOutput = defineTool({
  name: 'read_output',
  description: 'Read the output of a command started earlier (its process id, like proc_12), from a byte offset; without offset, the latest output. Also says whether it still runs.',
  category: 'read',
  input: z.object({
    process_id: z.string().regex(/^proc_\d{1,12}$/, 'a process id like proc_12'),
    offset: z.number().int().min(0).optional().describe('Byte offset into the output; default: the last `limit` bytes'),
    limit: z.number().int().min(1).max(200_000).default(20_000),
  }).strict(),
  summarize: (input) => `read the output of ${input.process_id}`,
});
