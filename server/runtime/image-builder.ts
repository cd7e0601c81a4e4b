import { spawn } from 'node:child_process';
import { userInfo } from 'node:os';
import type { Logger } from '../log';
import { resourcePath } from '../resources';
import { DEFAULT_DATABASE_IMAGE } from './database-env';

export const DEFAULT_IMAGE = 'slipway-sandbox:latest';

/** The images a first start can build itself: the sandbox's and the project databases'. */
const BUILDS = {
  sandbox: { image: DEFAULT_IMAGE, script: ['sandbox-image', 'build.sh'], args: [] as string[] },
  database: { image: DEFAULT_DATABASE_IMAGE, script: ['k8s', 'build-images.sh'], args: ['postgres'] },
} as const;

/**
 * First start without the sandbox image: build it in the background (`sandbox-image/build.sh`),
 * logging its progress, instead of leaving every project in ERROR until someone reads the docs.
 * As root the base image is made offline (debootstrap); otherwise it comes from a registry.
 */
export function buildSandboxImage(log: Logger): Promise<boolean> {
  return buildImage(log, 'sandbox');
}

/** The same for the project database image (`k8s/build-images.sh postgres`), when it is missing. */
export function buildDatabaseImage(log: Logger): Promise<boolean> {
  return buildImage(log, 'database');
}

function buildImage(log: Logger, which: keyof typeof BUILDS): Promise<boolean> {
  const { image, script, args } = BUILDS[which];
  const env = { ...process.env };
  if (userInfo().uid !== 0 && !env.SLIPWAY_BASE_IMAGE) env.SLIPWAY_BASE_IMAGE = 'debian:bookworm-slim';
  log.warn(`the ${which} image ${image} is missing: building it now (first start, a few minutes; or run "npm run image")`);
  return new Promise((resolve) => {
    const child = spawn('bash', [resourcePath(...script), ...args], { cwd: resourcePath(), env, stdio: ['ignore', 'pipe', 'pipe'] });
    let tail = '';
    const progress = (chunk: Buffer) => {
      tail = (tail + chunk.toString()).slice(-4000);
      for (const line of chunk.toString().split('\n')) if (line.trim()) log.info({ build: line.trim().slice(0, 300) }, `${which} image`);
    };
    child.stdout.on('data', progress);
    child.stderr.on('data', progress);
    child.on('error', () => resolve(false));
    child.on('close', (code) => {
      if (code === 0) log.info(`the ${which} image ${image} is ready`);
      else log.error({ tail: tail.split('\n').slice(-10).join('\n') }, `building the ${which} image failed; fix the cause above and run "npm run image"`);
      resolve(code === 0);
    });
  });
}
