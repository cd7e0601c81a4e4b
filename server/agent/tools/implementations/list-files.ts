import type { listFiles } from '../definitions/list-files';
import { globMatcher } from '../glob-pattern';
import type { ToolImplementation } from '../tool';
import { workspacePath } from '../workspace-path';

export const runListFiles: ToolImplementation<typeof listFiles.input> = async (input, ctx) => {
  const root = workspacePath(input.path);
  const matcher = input.pattern ? globMatcher(input.pattern) : undefined;
  const listing = await ctx.client.call('fs.list', {
    path: root, recursive: true, gitignore: true, limit: matcher ? 20_000 : input.limit, ...(input.maxDepth && { maxDepth: input.maxDepth }),
  });
  const prefix = root === '.' ? '' : `${root}/`;
  const rows: string[] = [];
  for (const entry of listing.entries) {
    const relative = entry.path.startsWith(prefix) ? entry.path.slice(prefix.length) : entry.path;
    if (matcher && (entry.type === 'directory' || !matcher(relative))) continue;
    rows.push(entry.type === 'directory' ? `${entry.path}/` : entry.path);
  }
  rows.sort();
  const shown = rows.slice(0, input.limit);
  if (!shown.length) return matcher ? `No files under ${root} match ${input.pattern}.` : `${root} is empty (or everything in it is ignored).`;
  const more = rows.length > shown.length || listing.truncated ? `\n[list cut at ${shown.length} entries; narrow it with path or pattern]` : '';
  return shown.join('\n') + more;
};
