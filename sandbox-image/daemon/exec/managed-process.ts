import type { ChildProcess } from 'node:child_process';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import type { Command, OutputStream, ProcessInfo, Signal } from '../../../protocol/daemon/exec';
import { DaemonError, isErrno } from '../rpc/daemon-error';
import { belowDaemon } from './below-daemon';
import type { LogChunk } from './process-log';
import { ProcessLog } from './process-log';
import { completeUtf8Length } from './utf8-boundary';

export interface ExitStatus {
  exitCode: number | null;
  signal: string | null;
}

export interface ProcessListener {
  output(chunk: LogChunk): void;
  exit(status: ExitStatus): void;
}

export interface SpawnRequest {
  id: string;
  command: Command;
  cwd: { rel: string; real: string };
  env: Record<string, string>;
  label?: string;
  timeoutMs?: number;
  stdin?: string;
  logCapacity: number;
}

/** After the process exits, how long to wait for its pipes to drain (children may hold them). */
const DRAIN_GRACE_MS = 200;
/** After a timeout's SIGTERM, how long before SIGKILL. */
const KILL_GRACE_MS = 1000;

/**
 * One command in its own process group (so kill reaches its children too), with its output kept
 * in a ProcessLog and passed to listeners. An argv command is spawned directly; a string runs
 * through `bash -c` (not a login shell: its logout script would change exit codes).
 */
export class ManagedProcess {
  readonly log: ProcessLog;
  readonly startedAt = Date.now();
  status: ExitStatus | null = null;
  timedOut = false;
  /** Resolves once the process has exited and its output is all in the log. */
  readonly finished: Promise<ExitStatus>;
  private readonly listeners = new Set<ProcessListener>();
  private readonly pending: Record<OutputStream, Buffer> = { stdout: Buffer.alloc(0), stderr: Buffer.alloc(0) };
  private timer: NodeJS.Timeout | undefined;

  private constructor(
    readonly request: SpawnRequest,
    private readonly child: ChildProcess,
    readonly pid: number,
  ) {
    this.log = new ProcessLog(request.logCapacity);
    child.stdout?.on('data', (data: Buffer) => this.take('stdout', data));
    child.stderr?.on('data', (data: Buffer) => this.take('stderr', data));
    this.finished = this.watchExit();
    if (request.timeoutMs !== undefined) {
      this.timer = setTimeout(() => {
        this.timedOut = true;
        this.kill('SIGTERM');
        // The whole group, even once the leader is gone: a child that ignores SIGTERM goes too.
        setTimeout(() => this.kill('SIGKILL'), KILL_GRACE_MS).unref();
      }, request.timeoutMs);
    }
  }

  static async spawn(request: SpawnRequest): Promise<ManagedProcess> {
    const [command, commandArgs] = typeof request.command === 'string' ? ['bash', ['-c', request.command]] : [request.command[0] ?? '', request.command.slice(1)];
    const [file, args] = await belowDaemon(command, commandArgs, request.cwd.real, request.env.PATH);
    const child = spawn(file, args, {
      cwd: request.cwd.real,
      env: request.env,
      detached: true,
      stdio: [request.stdin === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
    });
    try {
      await once(child, 'spawn');
    } catch (error) {
      if (isErrno(error, 'ENOENT')) throw new DaemonError('not_found', `command not found: ${command}`, 'not_found');
      if (isErrno(error, 'EACCES')) throw new DaemonError('forbidden', `not executable: ${command}`, 'permission_denied');
      throw error;
    }
    if (child.stdin) {
      child.stdin.on('error', () => undefined);
      child.stdin.end(request.stdin);
    }
    return new ManagedProcess(request, child, child.pid ?? -1);
  }

  get running(): boolean {
    return this.status === null;
  }

  listen(listener: ProcessListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Signals the whole process group. */
  kill(signal: Signal): void {
    if (this.pid <= 0) return;
    try {
      process.kill(-this.pid, signal);
    } catch (error) {
      if (!isErrno(error, 'ESRCH')) throw error;
    }
  }

  info(): ProcessInfo {
    return {
      processId: this.request.id,
      pid: this.pid,
      command: this.request.command,
      cwd: this.request.cwd.rel,
      label: this.request.label ?? null,
      startedAt: this.startedAt,
      running: this.running,
      exitCode: this.status?.exitCode ?? null,
      signal: this.status?.signal ?? null,
      logBytes: this.log.end,
    };
  }

  private take(stream: OutputStream, data: Buffer): void {
    const joined = this.pending[stream].length ? Buffer.concat([this.pending[stream], data]) : data;
    const whole = completeUtf8Length(joined);
    this.pending[stream] = joined.subarray(whole);
    if (whole > 0) this.emit(stream, joined.subarray(0, whole));
  }

  private emit(stream: OutputStream, data: Buffer): void {
    const chunk = this.log.append(stream, data);
    for (const listener of this.listeners) listener.output(chunk);
  }

  private async watchExit(): Promise<ExitStatus> {
    const closed = new Promise((resolve) => this.child.once('close', resolve));
    const [code, signal] = await new Promise<[number | null, NodeJS.Signals | null]>((resolve) =>
      this.child.once('exit', (exitCode, exitSignal) => resolve([exitCode, exitSignal])),
    );
    const grace = new Promise((resolve) => setTimeout(resolve, DRAIN_GRACE_MS).unref());
    await Promise.race([closed, grace]);
    this.child.stdout?.destroy();
    this.child.stderr?.destroy();
    clearTimeout(this.timer);
    for (const stream of ['stdout', 'stderr'] as const) {
      if (this.pending[stream].length) this.emit(stream, this.pending[stream]);
    }
    this.status = { exitCode: code, signal };
    for (const listener of this.listeners) listener.exit(this.status);
    this.listeners.clear();
    return this.status;
  }
}
