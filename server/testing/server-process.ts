import { spawn, type ChildProcess } from 'node:child_process';
import { writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { resourcePath } from '../resources';

export interface ServerProcess {
  url: string;
  child: ChildProcess;
  /** SIGKILL, as a crash: no shutdown code runs. */
  kill(): Promise<void>;
  stop(): Promise<void>;
}

/** The real server (server/main.ts) as a child process, configured by a config file and env. */
export async function startServerProcess(env: Record<string, string>, config: Record<string, unknown> = {}): Promise<ServerProcess> {
  const dir = mkdtempSync(join(tmpdir(), 'slipway-proc-'));
  const configFile = join(dir, 'config.json');
  writeFileSync(configFile, JSON.stringify(config));
  const child = spawn(process.execPath, ['--import', 'tsx', resourcePath('server', 'main.ts')], {
    cwd: resourcePath(),
    env: { ...process.env, SLIPWAY_CONFIG: configFile, SLIPWAY_PORT: '0', SLIPWAY_DATA_DIR: dir, SLIPWAY_LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
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
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return {
    url, child,
    async kill() { child.kill('SIGKILL'); await exited; },
    async stop() { child.kill('SIGTERM'); await exited; },
  };
}
