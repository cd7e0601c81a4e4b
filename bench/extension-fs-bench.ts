import Docker from 'dockerode';
import { fsBench } from '../extension/bench/fs-bench';
import { lifecycleHarness } from '../server/reconcile/lifecycle.suite';
import { DockerRuntime } from '../server/runtime/docker/docker-runtime';
import { removeInstallation } from '../server/testing/docker-cleanup';
import { progress, type Row } from './stats';

/**
 * The `slipway:` file system's figures (extension -> server -> daemon), measured with the extension's
 * own client code against a RUNNING project of a server with a Docker runtime.
 */
export async function extensionFsBench(image: string, runs: number): Promise<Row[]> {
  const docker = new Docker();
  const harness = await lifecycleHarness(new DockerRuntime(docker), { sandboxImage: image, warmPool: 0, reconcile: { intervalMs: 1000, observeMs: 5000, leaseSeconds: 20, concurrency: 4 } });
  const installation = harness.s.reconciler!.ctx.installation;
  try {
    progress('extension fs');
    const project = await harness.create({ template: 'empty' });
    await harness.waitStatus(project.id, 'RUNNING');
    return await fsBench(harness.s.url, harness.user.token, project.id, runs * 20);
  } finally {
    await harness.s.close();
    await removeInstallation(installation, docker);
  }
}
