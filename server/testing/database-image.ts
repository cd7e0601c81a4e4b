import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { resourcePath } from '../resources';

const execFileAsync = promisify(execFile);
let built: Promise<string> | undefined;

/** Builds the project database image (slipway-postgres) once per test run (a no-op when it is up to date); its tag. */
export function ensureDatabaseImage(): Promise<string> {
  built ??= execFileAsync('bash', [resourcePath('k8s', 'build-images.sh'), 'postgres'], { cwd: resourcePath(), maxBuffer: 64 * 1024 * 1024, timeout: 20 * 60_000 })
    .then(({ stdout }) => stdout.trim().split('\n').pop() ?? 'slipway-postgres:latest');
  return built;
}
