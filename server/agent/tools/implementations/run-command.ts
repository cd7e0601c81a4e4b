import type { runCommand } from '../definitions/run-command';
import { describeOutcome, runToExit } from '../process-runner';
import type { ToolImplementation } from '../tool';
import { workspacePath } from '../workspace-path';
import { startInBackground } from './background-process';

export const OUTPUT_CAP_BYTES = 16 * 1024;

export const runRunCommand: ToolImplementation<typeof runCommand.input> = async (input, ctx) => {
  const cwd = workspacePath(input.cwd);
  if (input.background) {
    return startInBackground(ctx, { command: input.command, cwd, waitMs: (input.timeout_seconds === 120 ? 30 : input.timeout_seconds) * 1000,
      port: input.wait_for_port, pattern: input.wait_for_pattern });
  }
  const timeoutMs = input.timeout_seconds * 1000;
  const outcome = await runToExit(ctx.client, { command: input.command, cwd, timeoutMs, maxBytes: OUTPUT_CAP_BYTES, label: 'agent' }, ctx.signal);
  return { content: describeOutcome(outcome, timeoutMs), isError: outcome.exitCode !== 0 };
};
