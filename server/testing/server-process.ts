import { spawn, type ChildProcess } from 'node:child_process';
import { writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { resourcePath } from '../resources';

export interface ServerProcess {
  url: string;
  child: ChildProcess;
  /** Everything it wrote to stdout and stderr so far. */
  output(): string;
  /** Its exit code (null after a signal), once it exited. */
  exited: Promise<number | null>;
  /** SIGKILL, as a crash: no shutdown code runs. */
  kill(): Promise<void>;
  stop(): Promise<void>;
}

/** The real server (server/main.ts, of the clone at `root`) as a child process, configured by a config file and env. */
export async function startServerProcess(env: Record<string, string>, config: Record<string, unknown> = {}, options: { root?: string } = {}): Promise<ServerProcess> {
  const child = spawnServer(env, config, options.root);
  let output = '';
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start:\n${output.slice(-3000)}`)), 60_000);
    child.stdout!.on('data', (chunk: Buffer) => {
      output += chunk;
      const match = /"url":"(http:[^"]+)","database"/.exec(output);
      if (match) { clearTimeout(timer); resolve(match[1]!); }
    });
    child.stderr!.on('data', (chunk: Buffer) => { output += chunk; });
    child.once('exit', (code) => { clearTimeout(timer); reject(new Error(`server exited (${code}):\n${output.slice(-3000)}`)); });
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return {
    url, child, exited, output: () => output,
    async kill() { child.kill('SIGKILL'); await exited; },
    async stop() { child.kill('SIGTERM'); await exited; },
  };
}

/** Runs the server until it exits by itself (a start that fails): its exit code and output. */
export async function runFailingServerProcess(env: Record<string, string>, config: Record<string, unknown> = {}): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawnServer(env, config);
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (chunk: Buffer) => { stdout += chunk; });
  child.stderr!.on('data', (chunk: Buffer) => { stderr += chunk; });
  const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
  const code = await new Promise<number | null>((resolve) => child.once('exit', (c) => resolve(c)));
  clearTimeout(timer);
  return { code, stdout, stderr };
}

function spawnServer(env: Record<string, string>, config: Record<string, unknown>, root = resourcePath()): ChildProcess {
  const dir = mkdtempSync(join(tmpdir(), 'slipway-proc-'));
  const configFile = join(dir, 'config.json');
  writeFileSync(configFile, JSON.stringify(config));
  return spawn(process.execPath, ['--import', 'tsx', join(root, 'server', 'main.ts')], {
    cwd: root,
    env: { ...process.env, SLIPWAY_CONFIG: configFile, SLIPWAY_PORT: '0', SLIPWAY_DATA_DIR: dir, SLIPWAY_LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}
