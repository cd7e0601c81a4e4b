import { spawn } from 'node:child_process';
import { userInfo } from 'node:os';
import type { Logger } from '../log';
import { resourcePath } from '../resources';

export const DEFAULT_IMAGE = 'slipway-sandbox:latest';

/**
 * First start without the sandbox image: build it in the background (`sandbox-image/build.sh`),
 * logging its progress, instead of leaving every project in ERROR until someone reads the docs.
 * As root the base image is made offline (debootstrap); otherwise it comes from a registry.
 */
export function buildSandboxImage(log: Logger): Promise<boolean> {
  const env = { ...process.env };
  if (userInfo().uid !== 0 && !env.SLIPWAY_BASE_IMAGE) env.SLIPWAY_BASE_IMAGE = 'debian:bookworm-slim';
  log.warn(`the sandbox image ${DEFAULT_IMAGE} is missing: building it now (first start, a few minutes; or run "npm run image")`);
  return new Promise((resolve) => {
    const child = spawn('bash', [resourcePath('sandbox-image', 'build.sh')], { cwd: resourcePath(), env, stdio: ['ignore', 'pipe', 'pipe'] });
    let tail = '';
    const progress = (chunk: Buffer) => {
      tail = (tail + chunk.toString()).slice(-4000);
      for (const line of chunk.toString().split('\n')) if (line.trim()) log.info({ build: line.trim().slice(0, 300) }, 'sandbox image');
    };
    child.stdout.on('data', progress);
    child.stderr.on('data', progress);
    child.on('error', () => resolve(false));
    child.on('close', (code) => {
      if (code === 0) log.info(`the sandbox image ${DEFAULT_IMAGE} is ready`);
      else log.error({ tail: tail.split('\n').slice(-10).join('\n') }, `building the sandbox image failed; fix the cause above and run "npm run image"`);
      resolve(code === 0);
    });
  });
}
