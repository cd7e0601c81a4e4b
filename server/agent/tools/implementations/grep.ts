import { DaemonClientError } from '../../../daemon-client';
import type { grep } from '../definitions/grep';
import type { ToolImplementation } from '../tool';
import { ToolFailure } from '../tool';
import { workspacePath } from '../workspace-path';

const MAX_OUTPUT = 200_000;

/** ripgrep in the sandbox; plain grep where ripgrep is not installed (the host runtime). */
export const runGrep: ToolImplementation<typeof grep.input> = async (input, ctx) => {
  const path = workspacePath(input.path);
  const rg = ['rg', '--line-number', '--no-heading', '--color', 'never', '--max-columns', '400', '--max-columns-preview',
    ...(input.ignore_case ? ['--ignore-case'] : []), ...(input.fixed_strings ? ['--fixed-strings'] : []),
    ...(input.glob ? ['--glob', input.glob] : []), '--regexp', input.pattern, '--', path];
  const grepArgs = ['grep', '-rnI', input.fixed_strings ? '-F' : '-E', '--exclude-dir=.git', '--exclude-dir=node_modules',
    ...(input.ignore_case ? ['-i'] : []), ...(input.glob ? [`--include=${input.glob}`] : []), '-e', input.pattern, '--', path];
  let result;
  try {
    result = await ctx.client.call('exec.run', { command: rg, timeoutMs: 60_000, maxOutputBytes: MAX_OUTPUT });
  } catch (error) {
    if (!(error instanceof DaemonClientError && error.code === 'not_found')) throw error;
    result = await ctx.client.call('exec.run', { command: grepArgs, timeoutMs: 60_000, maxOutputBytes: MAX_OUTPUT });
  }
  if (result.exitCode === 1) return `No matches for /${input.pattern}/ in ${path}.`;
  if (result.exitCode !== 0) throw new ToolFailure(`search failed: ${result.stderr.trim() || `exit code ${result.exitCode}`}`);
  const lines = result.stdout.split('\n').filter(Boolean).map((line) => line.replace(/^\.\//, ''));
  const shown = lines.slice(0, input.max_results);
  const more = lines.length > shown.length || result.truncated ? `\n[showing ${shown.length} matches; there are more — narrow the search]` : '';
  return shown.join('\n') + more;
};
