import { z } from 'zod';
import { defineTool } from '../tool';

export const editFile = defineTool({
  name: 'edit_file',
  description:
    'Change an existing file by exact search and replace. Each edit replaces `old_string` (which must match the file exactly, ' +
    'whitespace included, and be unique unless `replace_all`) with `new_string`. Edits apply in order and all together: ' +
    'if any edit fails, the file is left untouched and the error shows the closest text found.',
  category: 'write',
  input: z.object({
    path: z.string().min(1).max(4096).describe('Path relative to the workspace root'),
    edits: z.array(z.object({
      old_string: z.string().min(1).describe('Exact text to find; include enough surrounding lines to make it unique'),
      new_string: z.string().describe('Replacement text'),
      replace_all: z.boolean().optional().describe('Replace every occurrence instead of exactly one'),
    }).strict()).min(1).max(50),
  }).strict(),
  summarize: (input) => `edit ${input.path} (${input.edits.length} change${input.edits.length === 1 ? '' : 's'})`,
});
