import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { resourcePath } from '../resources';

const execFileAsync = promisify(execFile);
let built: Promise<string> | undefined;

/** Builds the sandbox image once per test run (a no-op when it is up to date). */
export function ensureSandboxImage(): Promise<string> {
  built ??= execFileAsync('bash', [resourcePath('sandbox-image', 'build.sh')], { cwd: resourcePath(), maxBuffer: 64 * 1024 * 1024, timeout: 20 * 60_000 })
    .then(({ stdout }) => stdout.trim().split('\n').pop() ?? 'slipway-sandbox:latest');
  return built;
}

let bundled: Promise<void> | undefined;

/** The daemon bundle the host runtime runs (dist/daemon.cjs). */
export function ensureDaemonBundle(): Promise<void> {
  bundled ??= execFileAsync(process.execPath, [resourcePath('esbuild.mjs'), '--server-only'], { cwd: resourcePath() }).then(() => undefined);
  return bundled;
}
