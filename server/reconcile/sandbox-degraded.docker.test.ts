import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import Docker from 'dockerode';
import { containerName } from '../runtime/docker/container-spec';
import { waitFor } from '../testing/wait-for';
import { onDocker } from './lifecycle.suite';
import { sandboxOfProject } from './sandbox-store';

const run = promisify(execFile);

/**
 * One sandbox cannot starve the host (#8 item 4), on real Docker: a fork bomb, bounded by the
 * sandbox's pids and CPU limits and by the command's own timeout, makes the project DEGRADED with
 * the reason while the server keeps answering; a member's restart brings it back clean.
 */
describe('a fork bomb in a sandbox, on Docker', function () {
  this.timeout(180_000);
  const on = onDocker(() => ({
      sandboxLimits: { cpus: 0.5, memoryMb: 512, pids: 128 },
      reconcile: { intervalMs: 200, observeMs: 1000, leaseSeconds: 10, concurrency: 4 },
    }));
  const { docker } = on;

  it('is reported as DEGRADED with the reason, the server stays responsive, and a member restarts it', async () => {
    const project = await on.h.create({ template: 'empty' });
    await on.h.waitStatus(project.id, 'RUNNING');
    const member = await on.h.s.signUp('member');
    const outsider = await on.h.s.signUp('outsider');
    await on.h.s.db.sql`INSERT INTO memberships (team_id, user_id, role) SELECT ${on.h.user.teamId}, id, 'member' FROM users WHERE email = ${member.email}`;
    const sandbox = (await sandboxOfProject(on.h.s.db.sql, project.id))!;

    // Bounded three ways: the sandbox's pids (128) and CPU (0.5), and the command's 60 s timeout.
    const daemon = await on.h.daemonOf(project.id);
    await daemon.call('exec.start', { command: ':(){ :|:& };:', timeoutMs: 60_000, label: 'fork bomb' });

    const degraded = await on.h.waitStatus(project.id, 'DEGRADED', 60_000);
    assert.match(degraded.statusMessage ?? '', /process limit is used up/, degraded.statusMessage ?? '');
    assert.match(degraded.statusMessage ?? '', /restart the sandbox/);
    const exec = await on.h.s.call('GET', `/api/projects/${project.id}/files?path=.slipway-probe`, { token: on.h.user.token });
    assert.notEqual(exec.status, 503, 'a degraded sandbox still serves its files');

    // The host keeps answering: the API, within a generous correctness bound.
    for (let i = 0; i < 5; i++) {
      const started = Date.now();
      assert.equal((await on.h.s.call('GET', '/api/me', { token: on.h.user.token })).status, 200);
      assert.ok(Date.now() - started < 2000, `GET /api/me took ${Date.now() - started} ms`);
    }

    assert.equal((await on.h.s.call('POST', `/api/projects/${project.id}/restart`, { token: outsider.token })).status, 404, 'outsiders cannot');
    const restart = await on.h.s.call('POST', `/api/projects/${project.id}/restart`, { token: member.token });
    assert.equal(restart.status, 202, JSON.stringify(restart.body));
    await on.h.waitStatus(project.id, 'RUNNING', 60_000);
    const after = await (await on.h.daemonOf(project.id)).call('exec.run', { command: 'echo ok; ps -e --no-headers | wc -l' });
    assert.match(after.stdout, /^ok\n/);
    assert.ok(Number(after.stdout.split('\n')[1]) < 10, `processes after the restart: ${after.stdout}`);
    const { stdout } = await run('docker', ['inspect', '-f', '{{.HostConfig.CpuShares}} {{.HostConfig.PidsLimit}}', containerName(sandbox.id)]);
    assert.equal(stdout.trim(), '512 128');
    const audit = await on.h.s.db.sql`SELECT count(*)::int AS n FROM audit_log WHERE action = 'project.restart' AND target = ${project.id}`;
    assert.equal(audit[0]!.n, 1);
  });

  it('a member cannot restart a project that is not meant to run', async () => {
    const project = await on.h.create({ template: 'empty', start: false });
    const res = await on.h.s.call('POST', `/api/projects/${project.id}/restart`, { token: on.h.user.token });
    assert.equal(res.status, 409);
    assert.match(res.body.error.message, /start it instead/);
  });
});
