import { z } from 'zod';
import { defineTool } from '../tool';

export const shell = defineTool({
  name: 'shell',
  description:
    'Run a command in a persistent bash session: `cd` and `export` carry over to later shell calls of this chat (run_command always starts fresh in the workspace). ' +
    'Waits for the command to finish; output is capped like run_command.',
  category: 'execute',
  input: z.object({
    command: z.string().min(1).max(100_000),
    timeout_seconds: z.number().int().min(1).max(3600).default(120),
  }).strict(),
  summarize: (input) => `shell: ${input.command}`,
});
