import { z } from 'zod';
import { defineTool } from '../tool';

export const writeFile = defineTool({
  name: 'write_file',
  description: 'Create a file or replace its whole content (parent directories are created). To change part of an existing file prefer edit_file.',
  category: 'write',
  input: z.object({
    path: z.string().min(1).max(4096).describe('Path relative to the workspace root'),
    content: z.string().max(5 * 1024 * 1024).describe('The complete new content of the file'),
  }).strict(),
  summarize: (input) => `write ${input.path} (${input.content.split('\n').length} lines)`,
});
