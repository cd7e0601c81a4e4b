import { z } from 'zod';
import { defineTool } from '../tool';

export const listFiles = defineTool({
  name: 'list_files',
  description: 'List files under a directory of the workspace, recursively, skipping what .gitignore excludes (and .git). Optionally filter with a glob like "**/*.ts" or "*.json".',
  category: 'read',
  input: z.object({
    path: z.string().max(4096).default('.').describe('Directory relative to the workspace root; default the root'),
    pattern: z.string().max(500).optional().describe('Glob on paths relative to `path`: * and ? within a name, ** across directories, {a,b} alternatives; a pattern without / matches file names at any depth'),
    maxDepth: z.number().int().min(1).max(64).optional().describe('Directory levels to descend; default unlimited'),
    limit: z.number().int().min(1).max(5000).default(500),
  }).strict(),
  summarize: (input) => `list ${input.path}${input.pattern ? ` matching ${input.pattern}` : ''}`,
});
