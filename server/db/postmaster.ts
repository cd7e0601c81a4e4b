import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import type { Logger } from '../log';
import type { PostgresBinaries } from './postgres-binaries';

export type PostmasterState = 'starting' | 'running' | 'restarting' | 'failed' | 'stopped';

const READY = 'database system is ready to accept connections';
const RESTART_DELAYS_MS = [200, 500, 1000, 2000, 5000, 10_000];
/** Restarts that fail in a row before the postmaster is given up (liveness then says so). */
const MAX_FAILED_RESTARTS = 12;

/**
 * One supervised PostgreSQL server process. It runs in a process group of its own, so a Ctrl-C in
 * the terminal reaches the Slipway server only, which stops it last, in order. When it exits
 * unexpectedly (killed, crashed) it is started again with a backoff until it answers.
 */
export class Postmaster {
  private child: ChildProcess | undefined;
  private state: PostmasterState = 'stopped';
  private failures = 0;
  private timer: NodeJS.Timeout | undefined;
  private readonly output: string[] = [];

  constructor(private readonly options: {
    binaries: PostgresBinaries; pgDir: string; port: number; flags: string[]; log: Logger;
    /** Waits before each restart (the last repeats) and how many may fail in a row; tests shorten them. */
    restartDelaysMs?: number[]; maxFailedRestarts?: number;
  }) {}

  get status(): PostmasterState {
    return this.state;
  }

  get pid(): number | undefined {
    return this.child?.pid;
  }

  /** Starts it and waits until it accepts connections; rejects with its last lines when it cannot. */
  async start(): Promise<void> {
    this.state = 'starting';
    await this.spawn();
    this.state = 'running';
  }

  async stop(): Promise<void> {
    this.state = 'stopped';
    clearTimeout(this.timer);
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    child.kill('SIGINT'); // fast shutdown: sessions end, the cluster is left consistent
    const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
    await exited;
    clearTimeout(timer);
  }

  private spawn(): Promise<void> {
    const { binaries, pgDir, port, flags, log } = this.options;
    return new Promise<void>((resolve, reject) => {
      let ready = false;
      const child = spawn(join(binaries.bin, 'postgres'), ['-D', pgDir, '-p', String(port), '-c', 'lc_messages=C', ...flags], {
        ...binaries.user, detached: true, stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, LC_MESSAGES: 'C', LANG: 'C' },
      });
      this.child = child;
      // A server that exits without stopping it (a crash, process.exit) does not leave it running.
      const onExit = () => child.kill('SIGINT');
      process.once('exit', onExit);
      child.once('exit', () => process.off('exit', onExit));
      child.stderr!.setEncoding('utf8');
      let tail = ''; // the message may be split across chunks
      child.stderr!.on('data', (chunk: string) => {
        for (const line of chunk.split('\n')) if (line.trim()) this.remember(line);
        log.trace({ postgres: chunk.trim() }, 'postgres');
        const seen = tail + chunk;
        tail = seen.slice(-READY.length);
        if (!ready && seen.includes(READY)) {
          ready = true;
          resolve();
        }
      });
      child.once('error', (error) => {
        if (!ready) reject(new Error(`could not run ${join(binaries.bin, 'postgres')}: ${error.message}`));
      });
      child.once('exit', (code, signal) => {
        if (this.child === child) this.child = undefined;
        if (!ready) {
          reject(new Error(`PostgreSQL exited (${signal ?? `code ${code}`}) before accepting connections: ${this.reason()}`));
          return;
        }
        if (this.state === 'stopped') return;
        log.error({ code, signal, pid: child.pid }, 'the embedded PostgreSQL exited unexpectedly; restarting it');
        this.restart();
      });
    });
  }

  private restart(): void {
    if (this.state === 'stopped') return;
    if (this.failures >= (this.options.maxFailedRestarts ?? MAX_FAILED_RESTARTS)) {
      this.state = 'failed';
      this.options.log.fatal({ failures: this.failures, output: this.lastLines() }, 'the embedded PostgreSQL could not be restarted; restart the Slipway server');
      return;
    }
    this.state = 'restarting';
    const delays = this.options.restartDelaysMs ?? RESTART_DELAYS_MS;
    const delay = delays[Math.min(this.failures, delays.length - 1)]!;
    this.timer = setTimeout(() => {
      if (this.state === 'stopped') return;
      this.spawn().then(
        () => {
          if (this.state === 'stopped') return void this.stop();
          this.failures = 0;
          this.state = 'running';
          this.options.log.info({ pid: this.child?.pid }, 'the embedded PostgreSQL is back');
        },
        (error: unknown) => {
          this.failures += 1;
          this.options.log.warn({ err: error, attempt: this.failures }, 'the embedded PostgreSQL did not come back yet');
          this.restart();
        },
      );
    }, delay);
  }

  private remember(line: string): void {
    this.output.push(line);
    if (this.output.length > 20) this.output.shift();
  }

  /** Its last complaint (FATAL, PANIC, ERROR), else its last line. */
  private reason(): string {
    const complaint = [...this.output].reverse().find((line) => /\b(FATAL|PANIC|ERROR):/.test(line));
    return (complaint ?? this.output.at(-1) ?? 'no output').replace(/^.*?\b(FATAL|PANIC|ERROR):\s*/, '');
  }

  private lastLines(count = 6): string {
    return this.output.slice(-count).join('\n');
  }
}
