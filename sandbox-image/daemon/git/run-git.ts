import { spawn } from 'node:child_process';
import { DaemonError, isErrno } from '../rpc/daemon-error';

export interface GitRun {
  args: string[];
  cwd: string;
  env: Record<string, string>;
  stdin?: string | Buffer;
  timeoutMs?: number;
  /** Bytes of stdout kept; more sets `truncated`. */
  maxStdout?: number;
  /** Each line (or `\r`-ended progress update) git writes to stderr. */
  onStderrLine?(line: string): void;
}

export interface GitOutput {
  code: number | null;
  stdout: Buffer;
  stderr: string;
  truncated: boolean;
  timedOut: boolean;
}

const MAX_STDERR = 64 * 1024;

/**
 * Runs git with an argv (never a shell), in its own process group so a timeout ends whatever it
 * started (ssh, credential helpers), and collects its output as bytes: `-z` output is split by the
 * caller, not decoded here.
 */
export async function runGit(run: GitRun): Promise<GitOutput> {
  const child = spawn('git', run.args, { cwd: run.cwd, env: run.env, detached: true, stdio: ['pipe', 'pipe', 'pipe'] });
  const chunks: Buffer[] = [];
  let size = 0;
  let truncated = false;
  let stderr = '';
  let partial = '';
  let timedOut = false;
  const max = run.maxStdout ?? 64 * 1024 * 1024;
  child.stdout.on('data', (data: Buffer) => {
    if (size >= max) return void (truncated = true);
    const kept = data.length > max - size ? data.subarray(0, max - size) : data;
    if (kept !== data) truncated = true;
    chunks.push(kept);
    size += kept.length;
  });
  child.stderr.setEncoding('utf8').on('data', (text: string) => {
    if (stderr.length < MAX_STDERR) stderr += text.slice(0, MAX_STDERR - stderr.length);
    if (!run.onStderrLine) return;
    const parts = (partial + text).split(/[\r\n]/);
    partial = parts.pop() ?? '';
    for (const line of parts) if (line.trim()) run.onStderrLine(line);
  });
  child.stdin.on('error', () => undefined);
  child.stdin.end(run.stdin);
  const kill = (signal: NodeJS.Signals) => {
    try {
      if (child.pid) process.kill(-child.pid, signal);
    } catch {
      // already gone
    }
  };
  const timer = setTimeout(() => {
    timedOut = true;
    kill('SIGTERM');
    setTimeout(() => kill('SIGKILL'), 1000).unref();
  }, run.timeoutMs ?? 60_000);
  try {
    const code = await new Promise<number | null>((resolve, reject) => {
      child.once('error', reject);
      child.once('close', (exitCode) => resolve(exitCode));
    });
    return { code, stdout: Buffer.concat(chunks), stderr, truncated, timedOut };
  } catch (error) {
    if (isErrno(error, 'ENOENT')) throw new DaemonError('unavailable', 'git is not installed in this sandbox');
    throw error;
  } finally {
    clearTimeout(timer);
  }
}
