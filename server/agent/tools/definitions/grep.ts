import { z } from 'zod';
import { defineTool } from '../tool';

export const grep = defineTool({
  name: 'grep',
  description: 'Search file contents of the workspace with a regular expression (ripgrep syntax), respecting .gitignore. Returns path:line:text matches.',
  category: 'read',
  input: z.object({
    pattern: z.string().min(1).max(1000).describe('Regular expression (or literal text with fixed_strings)'),
    path: z.string().max(4096).default('.').describe('File or directory to search; default the workspace root'),
    glob: z.string().max(500).optional().describe('Only files matching this glob, e.g. "*.ts"'),
    ignore_case: z.boolean().default(false),
    fixed_strings: z.boolean().default(false).describe('Treat the pattern as literal text'),
    max_results: z.number().int().min(1).max(2000).default(200),
  }).strict(),
  summarize: (input) => `search for /${input.pattern}/ in ${input.path}`,
});
