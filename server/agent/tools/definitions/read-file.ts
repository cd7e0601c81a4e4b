import { z } from 'zod';
import { defineTool } from '../tool';

export const readFile = defineTool({
  name: 'read_file',
  description: 'Read a text file of the workspace with line numbers. Long files come in pages: pass `offset` (first line, 1-based) and `limit` (lines) to read further.',
  category: 'read',
  input: z.object({
    path: z.string().min(1).max(4096).describe('Path relative to the workspace root, e.g. src/app.ts'),
    offset: z.number().int().min(1).optional().describe('First line to return (1-based); default 1'),
    limit: z.number().int().min(1).max(5000).optional().describe('Lines to return; default 2000'),
  }).strict(),
  summarize: (input) => `read ${input.path}`,
});
