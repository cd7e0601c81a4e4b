import type { editFile } from '../definitions/edit-file';
import type { ToolImplementation } from '../tool';
import { ToolFailure } from '../tool';
import { unifiedDiff } from '../unified-diff';
import { workspacePath } from '../workspace-path';
import { readTextOrNull } from './file-access';
import { nearestCandidates } from './nearest-candidates';

/**
 * Applies every edit to a copy in memory; the file is written once, atomically, only when all
 * of them apply. A failing edit names itself and shows the nearest text the file does have.
 */
export const runEditFile: ToolImplementation<typeof editFile.input> = async (input, ctx) => {
  const path = workspacePath(input.path);
  const before = await readTextOrNull(ctx.client, path);
  if (before === null) throw new ToolFailure(`${path} does not exist; create it with write_file`);
  let text = before;
  input.edits.forEach((edit, index) => {
    const which = input.edits.length > 1 ? `Edit ${index + 1} of ${input.edits.length}` : 'The edit';
    const fail = (why: string) => new ToolFailure(`${which} failed: ${why}\nNo changes were made to ${path}.`);
    if (edit.old_string === edit.new_string) throw fail('old_string and new_string are identical.');
    const count = occurrences(text, edit.old_string);
    if (count === 0) throw fail(`old_string was not found in ${path}${index > 0 ? ' (after the earlier edits)' : ''}.\n${nearestCandidates(text, edit.old_string)}`);
    if (count > 1 && !edit.replace_all) {
      throw fail(`old_string occurs ${count} times in ${path} (at lines ${matchLines(text, edit.old_string).join(', ')}). Include more surrounding text to make it unique, or set replace_all.`);
    }
    text = edit.replace_all ? text.split(edit.old_string).join(edit.new_string) : text.replace(edit.old_string, () => edit.new_string);
  });
  if (text === before) return `The edits leave ${path} as it was; nothing changed.`;
  await ctx.client.writeFile(path, text);
  const change = unifiedDiff(path, before, text);
  await ctx.emit({ type: 'file_change', path, kind: 'modify', ...change });
  return `Edited ${path} (${input.edits.length} change${input.edits.length === 1 ? '' : 's'}).\n${change.diff}`;
};

function occurrences(text: string, needle: string): number {
  let count = 0;
  for (let at = text.indexOf(needle); at >= 0; at = text.indexOf(needle, at + needle.length)) count++;
  return count;
}

function matchLines(text: string, needle: string): number[] {
  const lines: number[] = [];
  for (let at = text.indexOf(needle); at >= 0 && lines.length < 10; at = text.indexOf(needle, at + needle.length)) {
    lines.push(text.slice(0, at).split('\n').length);
  }
  return lines;
}
