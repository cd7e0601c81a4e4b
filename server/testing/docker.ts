import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const execFileAsync = promisify(execFile);
let answer: Promise<boolean> | undefined;

export const dockerAnswers = (): Promise<boolean> =>
  (answer ??= execFileAsync('docker', ['info'], { timeout: 20_000 }).then(() => true, () => false));

/**
 * For suites that need a real Docker engine. Without one they are skipped with the reason, except
 * when SLIPWAY_REQUIRE_DOCKER is set (CI): then they fail, so a missing engine can never pass as green.
 */
export async function requireDocker(context: Mocha.Context): Promise<void> {
  if (await dockerAnswers()) return;
  if (process.env.SLIPWAY_REQUIRE_DOCKER) throw new Error('Docker is required here (SLIPWAY_REQUIRE_DOCKER is set) but `docker info` does not answer; run `bash .ci/docker.sh`');
  console.warn('    skipped: `docker info` does not answer (no Docker engine; `bash .ci/docker.sh` starts one)');
  context.skip();
}
