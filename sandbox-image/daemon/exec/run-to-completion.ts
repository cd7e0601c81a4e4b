import type { RunResult } from '../../../protocol/daemon/exec';
import type { ManagedProcess } from './managed-process';
import { completeUtf8Length } from './utf8-boundary';

/**
 * Collects up to `maxBytes` of each stream of a just-started process and waits for it to exit.
 * Whatever does not fit stays in the process log, where `exec.log` can read it.
 */
export async function runToCompletion(proc: ManagedProcess, maxBytes: number): Promise<RunResult> {
  const captured = { stdout: [] as Buffer[], stderr: [] as Buffer[] };
  const sizes = { stdout: 0, stderr: 0 };
  let truncated = false;
  const stop = proc.listen({
    output: ({ stream, data }) => {
      const room = maxBytes - sizes[stream];
      if (data.length > room) truncated = true;
      if (room <= 0) return;
      const kept = data.length > room ? data.subarray(0, room) : data;
      captured[stream].push(kept);
      sizes[stream] += kept.length;
    },
    exit: () => undefined,
  });
  const status = await proc.finished;
  stop();
  const text = (parts: Buffer[]): string => {
    const all = Buffer.concat(parts);
    return all.subarray(0, truncated ? completeUtf8Length(all) : all.length).toString('utf8');
  };
  return {
    processId: proc.request.id,
    exitCode: status.exitCode,
    signal: status.signal,
    stdout: text(captured.stdout),
    stderr: text(captured.stderr),
    truncated,
    timedOut: proc.timedOut,
    durationMs: Date.now() - proc.startedAt,
  };
}
