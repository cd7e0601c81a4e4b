import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import Docker from 'dockerode';
import { containerName } from '../runtime/docker/container-spec';
import { DockerRuntime } from '../runtime/docker/docker-runtime';
import { requireDocker } from '../testing/docker';
import { removeInstallation } from '../testing/docker-cleanup';
import { ensureSandboxImage } from '../testing/sandbox-image';
import { waitFor } from '../testing/wait-for';
import { lifecycleHarness, type LifecycleHarness } from './lifecycle.suite';
import { sandboxOfProject } from './sandbox-store';

const run = promisify(execFile);

/**
 * One sandbox cannot starve the host (#8 item 4), on real Docker: a fork bomb, bounded by the
 * sandbox's pids and CPU limits and by the command's own timeout, makes the project DEGRADED with
 * the reason while the server keeps answering; a member's restart brings it back clean.
 */
describe('a fork bomb in a sandbox, on Docker', function () {
  this.timeout(180_000);
  let h: LifecycleHarness;
  const docker = new Docker();

  before(async function () {
    this.timeout(20 * 60_000);
    await requireDocker(this);
    const image = await ensureSandboxImage();
    h = await lifecycleHarness(new DockerRuntime(docker), {
      sandboxImage: image, sandboxLimits: { cpus: 0.5, memoryMb: 512, pids: 128 },
      reconcile: { intervalMs: 200, observeMs: 1000, leaseSeconds: 10, concurrency: 4 },
    });
  });
  after(async () => {
    if (!h) return;
    const installation = h.s.reconciler!.ctx.installation;
    await h.s.close();
    await removeInstallation(installation, docker);
  });

  it('is reported as DEGRADED with the reason, the server stays responsive, and a member restarts it', async () => {
    const project = await h.create({ template: 'empty' });
    await h.waitStatus(project.id, 'RUNNING');
    const member = await h.s.signUp('member');
    const outsider = await h.s.signUp('outsider');
    await h.s.db.sql`INSERT INTO memberships (team_id, user_id, role) SELECT ${h.user.teamId}, id, 'member' FROM users WHERE email = ${member.email}`;
    const sandbox = (await sandboxOfProject(h.s.db.sql, project.id))!;

    // Bounded three ways: the sandbox's pids (128) and CPU (0.5), and the command's 60 s timeout.
    const daemon = await h.daemonOf(project.id);
    await daemon.call('exec.start', { command: ':(){ :|:& };:', timeoutMs: 60_000, label: 'fork bomb' });

    const degraded = await h.waitStatus(project.id, 'DEGRADED', 30_000);
    assert.match(degraded.statusMessage ?? '', /process/i, degraded.statusMessage ?? '');
    assert.match(degraded.statusMessage ?? '', /restart the sandbox/);
    const exec = await h.s.call('GET', `/api/projects/${project.id}/files?path=.slipway-probe`, { token: h.user.token });
    assert.notEqual(exec.status, 503, 'a degraded sandbox still serves its files');

    // The host keeps answering: the API, within a generous correctness bound.
    for (let i = 0; i < 5; i++) {
      const started = Date.now();
      assert.equal((await h.s.call('GET', '/api/me', { token: h.user.token })).status, 200);
      assert.ok(Date.now() - started < 2000, `GET /api/me took ${Date.now() - started} ms`);
    }

    assert.equal((await h.s.call('POST', `/api/projects/${project.id}/restart`, { token: outsider.token })).status, 404, 'outsiders cannot');
    const restart = await h.s.call('POST', `/api/projects/${project.id}/restart`, { token: member.token });
    assert.equal(restart.status, 202, JSON.stringify(restart.body));
    await h.waitStatus(project.id, 'RUNNING', 60_000);
    const after = await (await h.daemonOf(project.id)).call('exec.run', { command: 'echo ok; ps -e --no-headers | wc -l' });
    assert.match(after.stdout, /^ok\n/);
    assert.ok(Number(after.stdout.split('\n')[1]) < 10, `processes after the restart: ${after.stdout}`);
    const { stdout } = await run('docker', ['inspect', '-f', '{{.HostConfig.CpuShares}} {{.HostConfig.PidsLimit}}', containerName(sandbox.id)]);
    assert.equal(stdout.trim(), '512 128');
    const audit = await h.s.db.sql`SELECT count(*)::int AS n FROM audit_log WHERE action = 'project.restart' AND target = ${project.id}`;
    assert.equal(audit[0]!.n, 1);
  });

  it('a member cannot restart a project that is not meant to run', async () => {
    const project = await h.create({ template: 'empty', start: false });
    const res = await h.s.call('POST', `/api/projects/${project.id}/restart`, { token: h.user.token });
    assert.equal(res.status, 409);
    assert.match(res.body.error.message, /start it instead/);
  });
});
