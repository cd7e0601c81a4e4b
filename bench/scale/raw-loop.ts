import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { promisify } from 'node:util';
import type Docker from 'dockerode';
import { parallel } from './parallel';
import { LABEL, containerOptions } from '../../server/runtime/docker/container-spec';
import type { SandboxLimits } from '../../server/runtime/runtime';

const run = promisify(execFile);

/** `docker run` flags for the options a sandbox container gets (same image, user, limits, network, security). */
function runFlags(image: string, limits: SandboxLimits, network: string, installation: string): string[] {
  const id = randomUUID();
  const o = containerOptions({ id, image, token: 'bench-token-bench-token', limits, labels: { installation } }, network);
  const h = o.HostConfig!;
  return [
    'run', '-d', '--name', `slipway-bench-raw-${id}`, '--user', o.User!, '--workdir', o.WorkingDir!,
    ...o.Env!.flatMap((e) => ['-e', e]),
    '--label', `${LABEL.installation}=${installation}`, '--label', `${LABEL.sandbox}=${id}`,
    // Anonymous volumes (removed by `rm -v`) where a sandbox has its two named ones.
    '--mount', 'type=volume,dst=/workspace', '--mount', 'type=volume,dst=/home/slipway',
    '--cap-drop', 'ALL', '--security-opt', 'no-new-privileges', '--pids-limit', String(h.PidsLimit),
    '--cpu-shares', String(h.CpuShares), '--memory', String(h.Memory), '--memory-swap', String(h.MemorySwap),
    '--cpus', String(limits.cpus), '--network', network, '--restart', 'no',
    '--log-opt', 'max-size=5m', '--log-opt', 'max-file=2',
    image,
  ];
}

/**
 * The baseline: `width` parallel loops of `docker run -d` (the CLI, as a person would script it)
 * of the sandbox image with the sandbox's options, N in all, then `docker rm -f -v` of each.
 * Labelled as an installation of its own and removed whatever happens.
 */
export async function rawLoop(docker: Docker, options: { n: number; width: number; image: string; limits: SandboxLimits; network: string }): Promise<{ runMs: number; rmMs: number }> {
  const installation = `bench-raw-${randomUUID()}`;
  const ids: string[] = [];
  try {
    const runStart = performance.now();
    await parallel(options.n, options.width, async () => {
      const { stdout } = await run('docker', runFlags(options.image, options.limits, options.network, installation));
      ids.push(stdout.trim());
    });
    const runMs = performance.now() - runStart;
    const rmStart = performance.now();
    await parallel(ids.length, options.width, async (i) => { await run('docker', ['rm', '-f', '-v', ids[i]!]); });
    return { runMs, rmMs: performance.now() - rmStart };
  } finally {
    // Whatever a failed loop left: its containers with their anonymous volumes.
    const filters = JSON.stringify({ label: [`${LABEL.installation}=${installation}`] });
    for (const c of await docker.listContainers({ all: true, filters })) await docker.getContainer(c.Id).remove({ force: true, v: true }).catch(() => {});
  }
}
