import type { ProjectAgentSettings } from '../../../protocol/chat';
import type { DaemonClient } from '../../daemon-client';
import type { ChatWriter } from '../events/chat-writer';
import { runToExit } from '../tools/process-runner';

const OUTPUT_TAIL_CHARS = 6000;

export interface CheckFailure {
  name: string;
  command: string;
  exitCode: number | null;
  output: string;
}

/** Runs the project's checks one after another, each reported as a test_result event. */
export async function runChecks(client: DaemonClient, checks: ProjectAgentSettings['checks'], writer: ChatWriter, signal: AbortSignal): Promise<CheckFailure[]> {
  const failures: CheckFailure[] = [];
  for (const check of checks) {
    const timeoutMs = check.timeoutSeconds * 1000;
    const outcome = await runToExit(client, { command: check.command, timeoutMs, maxBytes: 256 * 1024, label: `check: ${check.name}` }, signal);
    const passed = outcome.exitCode === 0 && !outcome.timedOut;
    const tail = outcome.output.length > OUTPUT_TAIL_CHARS ? `…${outcome.output.slice(-OUTPUT_TAIL_CHARS)}` : outcome.output;
    const output = outcome.timedOut ? `${tail}\n[timed out after ${check.timeoutSeconds} s]` : tail;
    await writer.emit({ type: 'test_result', name: check.name, command: check.command, passed, exitCode: outcome.exitCode, output, durationMs: outcome.durationMs });
    if (!passed) failures.push({ name: check.name, command: check.command, exitCode: outcome.exitCode, output });
  }
  return failures;
}

/** The message that hands failed checks back to the agent. */
export function repairPrompt(failures: CheckFailure[], round: number, maxRounds: number): string {
  const parts = failures.map((f) => `### ${f.name}: \`${f.command}\` ${f.exitCode === null ? 'was killed' : `exited with ${f.exitCode}`}\n\`\`\`\n${f.output.trim()}\n\`\`\``);
  return `The project's checks failed after your changes (repair round ${round} of ${maxRounds}). Find the cause, fix it, and run the failing command yourself to confirm.\n\n${parts.join('\n\n')}`;
}
