import type { shell } from '../definitions/shell';
import { describeOutcome, runToExit } from '../process-runner';
import type { ToolImplementation } from '../tool';
import { OUTPUT_CAP_BYTES } from './run-command';

/**
 * A persistent shell without a long-lived process: each call restores the session's working
 * directory and exported variables from state files in the sandbox, runs the command, and saves
 * them again. The command itself travels in a variable, so no quoting can break the wrapper.
 */
const WRAPPER = [
  'S="${TMPDIR:-/tmp}/.slipway-shell-$SLIPWAY_SHELL_ID"',
  'if [ -f "$S.env" ]; then . "$S.env" 2>/dev/null; fi',
  'if [ -f "$S.cwd" ]; then cd -- "$(cat "$S.cwd")" 2>/dev/null || echo "(the saved directory is gone; starting in the workspace)" >&2; fi',
  'eval "$SLIPWAY_SHELL_COMMAND"',
  '__slipway_status=$?',
  'export -p | grep -v -E "^declare -x (SLIPWAY_SHELL_|OLDPWD=|PWD=|SHLVL=|_=)" > "$S.env"',
  'pwd > "$S.cwd"',
  // Not `exit`: in the login shell that runs this, exit would also run ~/.bash_logout.
  '(exit $__slipway_status)',
].join('\n');

export const runShell: ToolImplementation<typeof shell.input> = async (input, ctx) => {
  const timeoutMs = input.timeout_seconds * 1000;
  const outcome = await runToExit(ctx.client, {
    command: WRAPPER,
    env: { SLIPWAY_SHELL_ID: ctx.session.shellId, SLIPWAY_SHELL_COMMAND: input.command },
    timeoutMs, maxBytes: OUTPUT_CAP_BYTES, label: 'agent shell',
  }, ctx.signal);
  return { content: describeOutcome(outcome, timeoutMs), isError: outcome.exitCode !== 0 };
};
