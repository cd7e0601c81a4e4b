import Docker from 'dockerode';
import { LABEL } from '../runtime/docker/container-spec';

/** Removes every container and volume an installation left on the engine (test teardown). */
export async function removeInstallation(installation: string, docker = new Docker()): Promise<void> {
  const filters = JSON.stringify({ label: [`${LABEL.installation}=${installation}`] });
  for (const c of await docker.listContainers({ all: true, filters })) await docker.getContainer(c.Id).remove({ force: true }).catch(() => {});
  for (const v of (await docker.listVolumes({ filters })).Volumes ?? []) await docker.getVolume(v.Name).remove().catch(() => {});
}

export async function installationResources(installation: string, docker = new Docker()): Promise<{ containers: string[]; volumes: string[] }> {
  const filters = JSON.stringify({ label: [`${LABEL.installation}=${installation}`] });
  // A sandbox with a database has two containers: one entry per sandbox.
  const containers = [...new Set((await docker.listContainers({ all: true, filters })).map((c) => c.Labels[LABEL.sandbox] ?? ''))];
  // Each sandbox has two volumes (workspace and home): one entry per sandbox.
  const volumes = [...new Set(((await docker.listVolumes({ filters })).Volumes ?? []).map((v) => v.Labels?.[LABEL.sandbox] ?? ''))];
  return { containers, volumes };
}
