import Docker from 'dockerode';
import { LABEL } from '../../server/runtime/docker/container-spec';
import { DockerRuntime, SANDBOX_NETWORK } from '../../server/runtime/docker/docker-runtime';
import { removeInstallation } from '../../server/testing/docker-cleanup';
import { followEngine } from './engine-events';
import { dockerCgroup } from './host-probe';
import { rawLoop } from './raw-loop';
import type { ScaleTarget } from './scale-bench';

const byInstallation = (installation: string) => JSON.stringify({ label: [`${LABEL.installation}=${installation}`] });

/** The scale bench on this machine's Docker engine: cgroups read directly, the engine's events followed. */
export function dockerTarget(docker = new Docker()): ScaleTarget {
  return {
    name: 'Docker',
    runtime: new DockerRuntime(docker),
    cgroups: async (installation) => (await docker.listContainers({ filters: byInstallation(installation) })).map((c) => dockerCgroup(c.Id)),
    remaining: async (installation) => (await docker.listContainers({ all: true, filters: byInstallation(installation) })).length,
    engine: (installation) => followEngine(docker, installation),
    async baseline(n, width, image, limits) {
      const { runMs, rmMs } = await rawLoop(docker, { n, width, image, limits, network: SANDBOX_NETWORK });
      return { label: `\`docker run -d\` / \`docker rm -f -v\` (CLI), ${width} loops in parallel`, runMs, rmMs };
    },
    cleanup: (installation) => removeInstallation(installation, docker),
  };
}
