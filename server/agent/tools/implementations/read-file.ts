import type { readFile } from '../definitions/read-file';
import type { ToolImplementation } from '../tool';
import { ToolFailure } from '../tool';
import { workspacePath } from '../workspace-path';
import { readTextOrNull } from './file-access';

const DEFAULT_LINES = 2000;
const MAX_LINE_CHARS = 2000;
const MAX_CHARS = 100_000;

export const runReadFile: ToolImplementation<typeof readFile.input> = async (input, ctx) => {
  const path = workspacePath(input.path);
  const text = await readTextOrNull(ctx.client, path);
  if (text === null) throw new ToolFailure(`${path} does not exist; list_files shows what does`);
  if (text === '') return `${path} is empty.`;
  const lines = text.split('\n');
  if (lines.at(-1) === '') lines.pop();
  const first = input.offset ?? 1;
  if (first > lines.length) throw new ToolFailure(`${path} has only ${lines.length} lines; offset ${first} is past the end`);
  const width = String(lines.length).length;
  let out = '';
  let last = first - 1;
  for (let n = first; n <= Math.min(lines.length, first - 1 + (input.limit ?? DEFAULT_LINES)); n++) {
    let line = lines[n - 1]!;
    if (line.length > MAX_LINE_CHARS) line = `${line.slice(0, MAX_LINE_CHARS)}… [line cut at ${MAX_LINE_CHARS} characters]`;
    const row = `${String(n).padStart(width)}\t${line}\n`;
    if (out.length + row.length > MAX_CHARS && out) break;
    out += row;
    last = n;
  }
  const note = first > 1 || last < lines.length ? `\n[lines ${first}-${last} of ${lines.length}${last < lines.length ? `; continue with offset ${last + 1}` : ''}]` : '';
  return out + note;
};
