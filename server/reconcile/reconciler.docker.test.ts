import assert from 'node:assert/strict';
import Docker from 'dockerode';
import { DockerRuntime } from '../runtime/docker/docker-runtime';
import { containerName } from '../runtime/docker/container-spec';
import { installationResources, removeInstallation } from '../testing/docker-cleanup';
import { startServer } from '../server';
import { waitFor } from '../testing/wait-for';
import { lifecycleHarness, lifecycleSuite, onDocker } from './lifecycle.suite';
import { observe } from './observer';
import { specFor } from './reconcile-context';
import { insertSandbox, markSandbox, sandboxOfProject } from './sandbox-store';

describe('reconciler on Docker', function () {
  this.timeout(120_000);
  const on = onDocker(() => ({ sandboxLimits: { cpus: 1, memoryMb: 512, pids: 256 } }));
  const { docker } = on;

  lifecycleSuite(() => on.h);

  it('runs sandboxes non-root, without capabilities or privilege escalation, with limits', async () => {
    const project = await on.h.create({ template: 'empty' });
    await on.h.waitStatus(project.id, 'RUNNING');
    const sandbox = (await sandboxOfProject(on.h.s.db.sql, project.id))!;
    const info = await docker.getContainer(containerName(sandbox.id)).inspect();
    assert.equal(info.Config.User, '1000:1000');
    assert.deepEqual(info.HostConfig.CapDrop, ['ALL']);
    assert.ok(info.HostConfig.SecurityOpt?.includes('no-new-privileges'));
    assert.equal(info.HostConfig.PidsLimit, 256);
    assert.equal(info.HostConfig.Memory, 512 * 1024 * 1024);
    assert.equal(info.HostConfig.NanoCpus, 1e9);
    assert.equal(info.HostConfig.CpuShares, 512, 'half the default CPU weight');
    assert.deepEqual(info.HostConfig.PortBindings ?? {}, {}, 'nothing is published');
    const daemon = await on.h.daemonOf(project.id);
    const who = await daemon.call('exec.run', { command: 'id -u; stat -c %u /workspace/README.md; cat /proc/self/status | grep CapEff' });
    assert.match(who.stdout, /^1000\n1000\nCapEff:\s+0+\n$/);
    // Shell commands keep their exit status in the image (a login shell's logout step would not).
    assert.equal((await daemon.call('exec.run', { command: 'echo done; exit 0' })).exitCode, 0);
  });

  it('marks each stage of a start, in order, for the bench\'s breakdown', async () => {
    const marks: [string, string, number][] = [];
    const detach = on.h.s.reconciler!.ctx.stages.listen((id, stage, at) => marks.push([id, stage, at]));
    try {
      const project = await on.h.create({ template: 'empty' });
      await on.h.waitStatus(project.id, 'RUNNING');
      const mine = marks.filter(([id]) => id === project.id);
      assert.deepEqual(mine.map(([, stage]) => stage), ['claimed', 'recorded', 'started', 'daemon', 'prepared', 'running']);
      const times = mine.map(([, , at]) => at);
      assert.deepEqual(times, [...times].sort((a, b) => a - b));
      assert.ok(Math.abs(times.at(-1)! - Date.now()) < 60_000, 'epoch milliseconds');
    } finally {
      detach();
    }
  });

  it("applies the team's limits, and recreates the container when they change, keeping the workspace and home", async () => {
    const project = await on.h.create({ template: 'empty' });
    await on.h.s.call('PATCH', `/api/teams/${on.h.user.teamId}`, { token: on.h.user.token, body: { sandboxLimits: { memoryMb: 384, cpus: 0.5, pids: 200 } } });
    await on.h.waitStatus(project.id, 'RUNNING');
    await (await on.h.daemonOf(project.id)).writeFile('kept.txt', 'kept');
    await (await on.h.daemonOf(project.id)).call('exec.run', { command: 'echo home > ~/kept-home.txt' });
    await on.h.s.call('POST', `/api/projects/${project.id}/stop`, { token: on.h.user.token });
    await on.h.waitStatus(project.id, 'STOPPED');
    await on.h.s.call('PATCH', `/api/teams/${on.h.user.teamId}`, { token: on.h.user.token, body: { sandboxLimits: { memoryMb: 768, cpus: 0.75, pids: 300 } } });
    await on.h.s.call('POST', `/api/projects/${project.id}/start`, { token: on.h.user.token });
    await on.h.waitStatus(project.id, 'RUNNING');
    const sandbox = (await sandboxOfProject(on.h.s.db.sql, project.id))!;
    const info = await docker.getContainer(containerName(sandbox.id)).inspect();
    assert.equal(info.HostConfig.Memory, 768 * 1024 * 1024);
    assert.equal(info.HostConfig.NanoCpus, 0.75e9);
    assert.equal(info.HostConfig.PidsLimit, 300);
    assert.equal(await (await on.h.daemonOf(project.id)).readText('kept.txt'), 'kept');
    assert.equal((await (await on.h.daemonOf(project.id)).call('exec.run', { command: 'cat ~/kept-home.txt' })).stdout, 'home\n', 'the home volume survives too');
    await on.h.s.call('PATCH', `/api/teams/${on.h.user.teamId}`, { token: on.h.user.token, body: { sandboxLimits: null } });
  });

  it('keeps sandboxes from reaching each other', async () => {
    const [a, b] = [await on.h.create({ template: 'empty' }), await on.h.create({ template: 'empty' })];
    await on.h.waitStatus(a.id, 'RUNNING');
    await on.h.waitStatus(b.id, 'RUNNING');
    const bAddress = (await sandboxOfProject(on.h.s.db.sql, b.id))!.address!;
    const daemonA = await on.h.daemonOf(a.id);
    const probe = `fetch(${JSON.stringify(bAddress + '/rpc/health')}, { signal: AbortSignal.timeout(2000) }).then(r => console.log('reached', r.status), e => console.log('blocked', e.cause?.code ?? e.name))`;
    const result = await daemonA.call('exec.run', { command: ['node', '-e', probe], timeoutMs: 10_000 });
    assert.match(result.stdout, /^blocked/, result.stdout + result.stderr);
    // The server itself does reach both.
    assert.ok((await (await on.h.daemonOf(b.id)).health()).ok);
  });

  it('answers nothing without the sandbox token', async () => {
    const project = await on.h.create({ template: 'empty' });
    await on.h.waitStatus(project.id, 'RUNNING');
    const address = (await sandboxOfProject(on.h.s.db.sql, project.id))!.address!;
    assert.equal((await fetch(`${address}/rpc/health`, { method: 'POST', body: '{}' })).status, 401);
    assert.equal((await fetch(`${address}/rpc/health`, { method: 'POST', body: '{}', headers: { authorization: 'Bearer wrong-token-wrong-token' } })).status, 401);
  });

  it('claims a warm sandbox from the pool and refills it', async () => {
    const pooled = await lifecycleHarness(new DockerRuntime(docker), { sandboxImage: on.h.s.services.config.sandboxImage, warmPool: 1 });
    try {
      const poolRow = await waitFor(async () => (await pooled.s.db.sql<{ id: string }[]>`SELECT id FROM sandboxes WHERE project_id IS NULL AND state = 'RUNNING'`)[0], { what: 'a warm sandbox' });
      const project = await pooled.create({ template: 'empty' });
      await pooled.waitStatus(project.id, 'RUNNING');
      assert.equal((await sandboxOfProject(pooled.s.db.sql, project.id))!.id, poolRow.id, 'the project got the warm sandbox');
      await waitFor(async () => (await pooled.s.db.sql`SELECT id FROM sandboxes WHERE project_id IS NULL AND state = 'RUNNING'`)[0], { what: 'the pool refilled' });
    } finally {
      const installation = pooled.s.reconciler!.ctx.installation;
      await pooled.s.close();
      await removeInstallation(installation, docker);
    }
  });

  it('keeps a warm sandbox that came up while an observer pass was listing the runtime', async () => {
    const ctx = on.h.s.reconciler!.ctx;
    const row = await insertSandbox(ctx.sql, { projectId: null, runtime: ctx.runtime.kind, image: ctx.config.sandboxImage });
    try {
      // The listing is taken before the warm sandbox runs; it is marked RUNNING before the pass reads the rows.
      const runtime = Object.create(ctx.runtime) as typeof ctx.runtime;
      runtime.list = async (installation) => {
        const listed = await ctx.runtime.list(installation);
        const { address } = await ctx.runtime.start(specFor(ctx, row.id));
        await markSandbox(ctx.sql, row.id, { address, state: 'RUNNING' });
        return listed;
      };
      await observe({ ...ctx, runtime });
      assert.equal((await ctx.sql`SELECT id FROM sandboxes WHERE id = ${row.id}`).length, 1, 'the warm sandbox is kept');
      assert.equal((await ctx.runtime.inspect(row.id)).state, 'running');
    } finally {
      await ctx.sql`DELETE FROM sandboxes WHERE id = ${row.id}`;
      await ctx.runtime.remove(row.id);
    }
  });

  it('drains the warm pool when restarted with a smaller one (SLIPWAY_WARM_POOL=0)', async () => {
    const pooled = await lifecycleHarness(new DockerRuntime(docker), { sandboxImage: on.h.s.services.config.sandboxImage, warmPool: 1 });
    const installation = pooled.s.reconciler!.ctx.installation;
    let restarted: Awaited<ReturnType<typeof startServer>> | undefined;
    try {
      const poolRow = await waitFor(async () => (await pooled.s.db.sql<{ id: string }[]>`SELECT id FROM sandboxes WHERE project_id IS NULL AND state = 'RUNNING'`)[0], { what: 'a warm sandbox' });
      await pooled.s.reconciler!.stop();
      assert.deepEqual((await installationResources(installation, docker)).containers, [poolRow.id]);
      restarted = await startServer({ ...pooled.s.services.config, port: 0, warmPool: 0 }, pooled.s.services.log, { sql: pooled.s.db.sql, runtime: new DockerRuntime(docker) });
      assert.equal((await pooled.s.db.sql`SELECT id FROM sandboxes WHERE project_id IS NULL`).length, 0, 'the pool row is gone');
      assert.deepEqual((await installationResources(installation, docker)).containers, [], 'the warm container is gone');
    } finally {
      await restarted?.close();
      await pooled.s.close();
      await removeInstallation(installation, docker);
    }
  });

  it('shows a clear diagnosis when the image is missing', async () => {
    const broken = await lifecycleHarness(new DockerRuntime(docker), { sandboxImage: 'slipway-sandbox:does-not-exist' });
    try {
      const project = await broken.create({ template: 'empty' });
      const failed = await broken.waitStatus(project.id, 'ERROR');
      assert.match(failed.statusMessage ?? '', /image slipway-sandbox:does-not-exist is missing.*npm run image/);
    } finally {
      const installation = broken.s.reconciler!.ctx.installation;
      await broken.s.close();
      await removeInstallation(installation, docker);
    }
  });
});
