import type { writeFile } from '../definitions/write-file';
import type { ToolImplementation } from '../tool';
import { unifiedDiff } from '../unified-diff';
import { workspacePath } from '../workspace-path';
import { readTextOrNull } from './file-access';

export const runWriteFile: ToolImplementation<typeof writeFile.input> = async (input, ctx) => {
  const path = workspacePath(input.path);
  const before = await readTextOrNull(ctx.client, path);
  if (before === input.content) return `${path} already has exactly this content; nothing changed.`;
  await ctx.client.writeFile(path, input.content, { createParents: true });
  await ctx.emit({ type: 'file_change', path, kind: before === null ? 'create' : 'modify', ...unifiedDiff(path, before, input.content) });
  const lines = input.content === '' ? 0 : input.content.split('\n').length - (input.content.endsWith('\n') ? 1 : 0);
  return `${before === null ? 'Created' : 'Replaced'} ${path} (${lines} lines).`;
};
