import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import Docker from 'dockerode';
import { lifecycleHarness, type LifecycleHarness } from '../reconcile/lifecycle.suite';
import { sandboxOfProject } from '../reconcile/sandbox-store';
import { containerName } from '../runtime/docker/container-spec';
import { DockerRuntime } from '../runtime/docker/docker-runtime';
import { bridgeOf } from '../runtime/docker/sandbox-firewall';
import { requireDocker } from '../testing/docker';
import { removeInstallation } from '../testing/docker-cleanup';
import { dropChains } from '../testing/firewall-chains';
import { ensureSandboxImage } from '../testing/sandbox-image';
import { openTestSocket } from '../testing/ws-client';
import { startGitHttpServer, type GitHttpServer } from '../../sandbox-image/daemon/git/testing/git-http-server';
import { git, seedBareRepository } from '../../sandbox-image/daemon/git/testing/git-fixture';

const run = promisify(execFile);

/**
 * Git in a real Docker sandbox against a real smart-HTTP Git server on this machine: the server
 * listens on the test network's bridge gateway only, which the sandbox firewall lets through as an
 * administrator's exception (`sandboxNetwork.allow`), so no traffic leaves this machine.
 */
describe('Git in a Docker sandbox', function () {
  this.timeout(120_000);
  const docker = new Docker();
  const network = `slipway-gittest-${randomUUID().slice(0, 8)}`;
  const repos = mkdtempSync(join(tmpdir(), 'slipway-git-docker-'));
  let h: LifecycleHarness | undefined;
  let server: GitHttpServer | undefined;

  before(async function () {
    this.timeout(20 * 60_000);
    await requireDocker(this);
    const image = await ensureSandboxImage();
    await docker.createNetwork({ Name: network, Driver: 'bridge', CheckDuplicate: true, Labels: { 'dev.slipway.network': 'sandboxes' }, Options: { 'com.docker.network.bridge.enable_icc': 'false' } });
    const info = await docker.getNetwork(network).inspect() as Docker.NetworkInspectInfo;
    const gateway = info.IPAM?.Config?.[0]?.Gateway ?? assert.fail('the test network has no gateway');
    await seedBareRepository(repos);
    server = await startGitHttpServer({ root: repos, host: gateway, tokens: { alice: 'alice-docker-token', bob: 'bob-docker-token' } });
    const runtime = new DockerRuntime(docker, { network, firewall: { allow: [`${gateway}/32:${server.port}`] } });
    h = await lifecycleHarness(runtime, { sandboxImage: image, sandboxLimits: { cpus: 1, memoryMb: 512, pids: 256 } });
  });
  after(async () => {
    if (h) {
      const installation = h.s.reconciler!.ctx.installation;
      await h.s.close();
      await removeInstallation(installation, docker);
    }
    await server?.close();
    const bridge = await docker.getNetwork(network).inspect().then((info) => bridgeOf(info as Docker.NetworkInspectInfo), () => undefined);
    await docker.getNetwork(network).remove().catch(() => {});
    if (bridge) await dropChains(bridge);
    await rm(repos, { recursive: true, force: true });
  });

  it('clones into a new project, shows an edit, commits and pushes with each user\'s own token, and leaves no token in the sandbox', async () => {
    const s = h!.s;
    const alice = h!.user;
    const host = new URL(server!.url).host;
    await s.call('PUT', `/api/git/tokens/${host}`, { token: alice.token, body: { token: 'alice-docker-token', username: 'alice' } });
    const project = await h!.create({ git: { url: `${server!.url}/app.git` } });
    await h!.waitStatus(project.id, 'RUNNING', 90_000);
    const projectId = project.id;

    const put = await fetch(`${s.url}/api/projects/${projectId}/files?path=README.md`, {
      method: 'PUT', headers: { authorization: `Bearer ${alice.token}`, 'content-type': 'application/octet-stream' }, body: new TextEncoder().encode('# app, from the editor\n'),
    });
    assert.equal(put.status, 200);
    const sock = await openTestSocket(s.url, alice.token);
    try {
      const status = (await sock.request('git.status', { projectId })).result;
      assert.deepEqual(status.changes.map((c: { path: string; worktree: string }) => [c.path, c.worktree]), [['README.md', 'M']]);
      assert.ok((await sock.request('git.stage', { projectId, all: true })).result.ok);
      assert.equal((await sock.request('git.commit', { projectId, message: 'Edited in Slipway' })).result.summary, 'Edited in Slipway');
      const pushed = await sock.request('git.push', { projectId, progressId: 'docker-push' });
      assert.ok(pushed.result?.ok, JSON.stringify(pushed.error));
    } finally {
      await sock.close();
    }
    assert.equal(git(join(repos, 'app.git'), 'log', '-1', '--format=%s|%ae', 'main').trim(), `Edited in Slipway|${alice.email}`);

    // Bob, a teammate with a wrong token: a clear failure, and Alice's token is never presented for him.
    const bob = await s.signUp('bob');
    await s.addMember(alice, alice.teamId, bob);
    await s.call('PUT', `/api/git/tokens/${host}`, { token: bob.token, body: { token: 'not-bobs-token', username: 'bob' } });
    const bobSock = await openTestSocket(s.url, bob.token);
    try {
      const since = server!.requests.length;
      const denied = await bobSock.request('git.push', { projectId });
      assert.equal(denied.error?.reason, 'git_auth_failed', JSON.stringify(denied));
      assert.ok(server!.requests.slice(since).every((r) => r.user !== 'alice'));
    } finally {
      await bobSock.close();
    }

    // Nothing of either token stays in the sandbox: not in the workspace, a file, a process or the logs.
    const sandbox = await sandboxOfProject(s.db.sql, projectId);
    const name = containerName(sandbox!.id);
    // Read from outside, so the search's own command line cannot match.
    const procs = await run('docker', ['exec', name, 'bash', '-c', 'for f in /proc/[0-9]*/environ /proc/[0-9]*/cmdline; do cat "$f"; echo; done 2>/dev/null'], { maxBuffer: 64 * 1024 * 1024 });
    const files = await run('docker', ['exec', name, 'tar', '-cf', '-', '/workspace', '/home/slipway', '/tmp'], { encoding: 'buffer', maxBuffer: 512 * 1024 * 1024 }).catch((e: { stdout: Buffer }) => e);
    for (const secret of ['alice-docker-token', 'not-bobs-token']) {
      assert.ok(!procs.stdout.includes(secret), `${secret} in a process of the sandbox`);
      assert.ok(!Buffer.from(files.stdout).includes(secret), `${secret} in a file of the sandbox`);
    }
    const logs = await run('docker', ['logs', name]);
    assert.ok(!`${logs.stdout}${logs.stderr}`.includes('alice-docker-token'));
  });
});
