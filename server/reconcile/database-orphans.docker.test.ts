import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { newDatabasePassword } from '../runtime/database-env';
import { containerName, homeVolumeName, volumeName } from '../runtime/docker/container-spec';
import { databaseContainerName, databaseVolumeName } from '../runtime/docker/database-container';
import { ensureDatabaseImage } from '../testing/database-image';
import { waitFor } from '../testing/wait-for';
import { FAST_RECONCILE, onDocker } from './lifecycle.suite';
import { observe } from './observer';

describe('orphan project databases on Docker', function () {
  this.timeout(120_000);
  // The periodic observer is held off: this test runs the passes itself, so what it left is certain.
  const on = onDocker(() => ({ reconcile: { ...FAST_RECONCILE.reconcile, observeMs: 600_000 } }));
  const { docker } = on;
  const exists = (what: { inspect(): Promise<unknown> }) => what.inspect().then(() => true, () => false);

  it('removes a database container and volume that no sandbox row knows, even once its sandbox container and workspace are gone', async () => {
    const databaseImage = await ensureDatabaseImage();
    const runtime = on.h.s.runtime!;
    const installation = on.h.s.reconciler!.ctx.installation;
    const id = randomUUID();
    const { config } = on.h.s.services;
    await runtime.start({
      id, image: config.sandboxImage, token: 'x'.repeat(32), limits: config.sandboxLimits, labels: { installation },
      database: { image: databaseImage, password: newDatabasePassword(), limits: { cpus: 0.5, memoryMb: 256 } },
    });
    // What a crash could leave: the sandbox container and its volumes gone, the database's not.
    await docker.getContainer(containerName(id)).remove({ force: true }).catch(() => {});
    for (const name of [volumeName(id), homeVolumeName(id)]) await docker.getVolume(name).remove();
    assert.ok(await exists(docker.getContainer(databaseContainerName(id))) && await exists(docker.getVolume(databaseVolumeName(id))));
    assert.ok((await runtime.list(installation)).databases?.includes(id), 'listed for orphan GC');

    await waitFor(async () => {
      await observe(on.h.s.reconciler!.ctx);
      return !(await exists(docker.getContainer(databaseContainerName(id)))) && !(await exists(docker.getVolume(databaseVolumeName(id))));
    }, { what: 'the orphan database and its volume to be removed', timeoutMs: 30_000, intervalMs: 500 });
    assert.ok(!(await runtime.list(installation)).databases?.includes(id));
  });
});
