import type { DaemonClient } from '../../daemon-client';
import type { DaemonStream } from '../../daemon-client';

export interface RunOptions {
  command: string | string[];
  cwd?: string;
  env?: Record<string, string>;
  timeoutMs: number;
  /** Output kept for the result (head); the rest stays in the process log. */
  maxBytes: number;
  label?: string;
}

export interface RunOutcome {
  processId: string;
  exitCode: number | null;
  signal: string | null;
  /** stdout and stderr interleaved as produced, up to maxBytes. */
  output: string;
  totalBytes: number;
  truncated: boolean;
  timedOut: boolean;
  durationMs: number;
}

const KILL_GRACE_MS = 2000;

/**
 * Runs a command to completion through the daemon's process table and stream, so that it can be
 * stopped at once: on abort the process group is killed (SIGKILL) and the call rejects with the
 * signal's reason; at the timeout it gets SIGTERM, then SIGKILL.
 */
export async function runToExit(client: DaemonClient, options: RunOptions, signal: AbortSignal): Promise<RunOutcome> {
  signal.throwIfAborted();
  const started = Date.now();
  const stream = await client.connect();
  try {
    const { processId } = await client.call('exec.start', {
      command: options.command, cwd: options.cwd ?? '.', env: options.env ?? {}, ...(options.label && { label: options.label }),
    });
    let output = '';
    let keptBytes = 0;
    let totalBytes = 0;
    let timedOut = false;
    const exit = new Promise<{ exitCode: number | null; signal: string | null }>((resolve, reject) => {
      stream.on('exec.output', (data) => {
        if (data.processId !== processId) return;
        const bytes = Buffer.byteLength(data.data);
        totalBytes += bytes;
        if (keptBytes < options.maxBytes) {
          const room = options.maxBytes - keptBytes;
          const piece = bytes <= room ? data.data : Buffer.from(data.data).subarray(0, room).toString('utf8');
          output += piece;
          keptBytes += Math.min(bytes, room);
        }
      });
      stream.on('exec.exit', (data) => {
        if (data.processId === processId) resolve({ exitCode: data.exitCode, signal: data.signal });
      });
      stream.onClose(() => reject(new Error('the connection to the sandbox closed while the command ran')));
    });
    await stream.call('exec.subscribe', { processId, offset: 0 });

    const kill = (sig: 'SIGTERM' | 'SIGKILL') => client.call('exec.kill', { processId, signal: sig }).catch(() => undefined);
    const timer = setTimeout(() => {
      timedOut = true;
      void kill('SIGTERM');
      setTimeout(() => void kill('SIGKILL'), KILL_GRACE_MS).unref();
    }, options.timeoutMs);
    const onAbort = () => void kill('SIGKILL');
    signal.addEventListener('abort', onAbort, { once: true });
    try {
      const aborted = new Promise<never>((_, reject) => {
        if (signal.aborted) reject(signal.reason);
        signal.addEventListener('abort', () => reject(signal.reason), { once: true });
      });
      const status = await Promise.race([exit, aborted]);
      return { processId, ...status, output, totalBytes, truncated: totalBytes > keptBytes, timedOut, durationMs: Date.now() - started };
    } finally {
      clearTimeout(timer);
      signal.removeEventListener('abort', onAbort);
    }
  } finally {
    stream.close();
  }
}

/** Output and status of a process as the model reads it. */
export function describeOutcome(outcome: RunOutcome, timeoutMs: number): string {
  const status = outcome.timedOut
    ? `Timed out after ${Math.round(timeoutMs / 1000)} s and was killed.`
    : outcome.exitCode !== null ? `Exit code ${outcome.exitCode}.` : `Killed by ${outcome.signal ?? 'a signal'}.`;
  const more = outcome.truncated
    ? `\n[output cut at ${outcome.output.length} characters of ${outcome.totalBytes} bytes; read the rest with read_output {"process_id":"${outcome.processId}","offset":${Buffer.byteLength(outcome.output)}}]`
    : '';
  return `${status} (${outcome.durationMs} ms, process ${outcome.processId})\n${outcome.output || '(no output)'}${more}`;
}

export type { DaemonStream };
