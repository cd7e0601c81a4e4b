import { execFile, spawn } from 'node:child_process';
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import Docker from 'dockerode';
import { DaemonClient } from '../daemon-client';
import { lifecycleHarness, type LifecycleHarness } from '../reconcile/lifecycle.suite';
import { readyPoolSize, sandboxOfProject } from '../reconcile/sandbox-store';
import { DockerRuntime } from '../runtime/docker/docker-runtime';
import { containerName, containerOptions } from '../runtime/docker/container-spec';
import { waitForDaemon } from '../runtime/daemon-connections';
import { removeInstallation } from '../testing/docker-cleanup';
import { openTestSocket } from '../testing/ws-client';
import { progress, summarize, timeIt, type Row } from '../../bench/stats';
import { epochNow, memoryRows, stageRows, WARM_STEPS, type CreateTimeline } from './breakdown-rows';

const execFileAsync = promisify(execFile);

/** Sandbox figures, each next to the raw baseline measured in this same run. */
export async function sandboxBench(image: string, runs: number): Promise<Row[]> {
  const docker = new Docker();
  const runtime = new DockerRuntime(docker);
  const rows: Row[] = [];
  const cold = await lifecycleHarness(runtime, { sandboxImage: image, warmPool: 0, reconcile: { intervalMs: 1000, observeMs: 5000, leaseSeconds: 20, concurrency: 4 } });
  const installation = cold.s.reconciler!.ctx.installation;
  try {
    progress('create API');
    // The API only writes the desired state: its answer time, next to an authenticated GET.
    const apiCreate = await timeIt(runs * 5, () => cold.s.call('POST', '/api/projects', { token: cold.user.token, body: { teamId: cold.user.teamId, name: 'api', template: 'empty', start: false } }));
    const apiGet = await timeIt(runs * 5, () => cold.s.call('GET', '/api/me', { token: cold.user.token }));
    rows.push({ what: 'create project API answer', ours: summarize(apiCreate), baseline: { label: 'GET /api/me', ...summarize(apiGet) }, goal: '< 50 ms' });

    progress('cold create');
    // Cold: API create → project RUNNING (daemon answering, template seeded, variables pushed).
    const ours = await timeIt(runs, async () => {
      const project = await cold.create({ template: 'empty' });
      await cold.waitStatus(project.id, 'RUNNING');
    }, 1);
    // Baseline: the same container started directly through the engine, until its daemon answers.
    // Labelled as an installation of its own, so the harness's observer leaves it alone.
    const baseline = `bench-baseline-${installation}`;
    const raw = await timeIt(runs, async () => {
      const id = `00000000-0000-4000-8000-${Math.floor(Math.random() * 1e12).toString().padStart(12, '0')}`;
      const token = 'bench-token-bench-token';
      const spec = { id, image, token, limits: cold.s.services.config.sandboxLimits, labels: { installation: baseline } };
      for (const name of [`slipway-ws-${id}`, `slipway-home-${id}`]) await docker.createVolume({ Name: name, Labels: { 'dev.slipway.installation': baseline, 'dev.slipway.sandbox': id } });
      const container = await docker.createContainer(containerOptions(spec, 'slipway-sandboxes'));
      await container.start();
      const ip = (await container.inspect()).NetworkSettings.Networks['slipway-sandboxes']!.IPAddress;
      const client = new DaemonClient({ baseUrl: `http://${ip}:7070`, token });
      await waitForDaemon(client, 30_000);
      client.close();
    }, 1);
    await removeInstallation(baseline, docker);
    rows.push({ what: 'cold create → daemon ready', ours: summarize(ours), baseline: { label: 'raw docker run (same image and options) → daemon answers', ...summarize(raw) }, goal: '≤ 1.1× (stages: `npm run bench -- --scale N`)' });

    progress('exec and fs');
    const project = await cold.create({ template: 'empty' });
    await cold.waitStatus(project.id, 'RUNNING');
    const sandbox = (await sandboxOfProject(cold.s.db.sql, project.id))!;
    const client = cold.s.services.daemons.get(sandbox.id, sandbox.address!);
    const exec = await timeIt(runs * 10, () => client.call('exec.run', { command: ['true'] }));
    const dockerExec = await timeIt(runs * 2, () => execFileAsync('docker', ['exec', containerName(sandbox.id), 'true']));
    rows.push({ what: 'exec `true` (server → daemon)', ours: summarize(exec), baseline: { label: '`docker exec … true`', ...summarize(dockerExec) }, goal: '≤ 1.5 ms p50' });
    // Where it goes: the round trip itself (no process), and the process (what the daemon runs, here).
    rows.push({ what: '↳ round trip with no process (`health`: HTTP, token, dispatch)', ours: summarize(await timeIt(runs * 10, () => client.call('health', {}))) });
    // (Not below this process's priority as the daemon runs it: here, outside the sandbox's own CPU group, that measures the host's load.)
    rows.push({ what: '↳ `true` spawned → exited, in this process (the spawn alone)', ours: summarize(await timeIt(runs * 10, () => new Promise((resolve, reject) => spawn('true', [], { stdio: 'ignore' }).once('error', reject).once('close', resolve)))) });

    const local = await mkdtemp(join(tmpdir(), 'slipway-bench-'));
    await client.writeFile('bench.txt', 'x'.repeat(1024));
    await writeFile(join(local, 'bench.txt'), 'x'.repeat(1024));
    rows.push({ what: 'fs stat (1 KB file)', ours: summarize(await timeIt(runs * 10, () => client.call('fs.stat', { path: 'bench.txt' }))), baseline: { label: 'local fs.stat', ...summarize(await timeIt(runs * 10, () => stat(join(local, 'bench.txt')))) } });
    rows.push({ what: 'fs read (1 KB)', ours: summarize(await timeIt(runs * 10, () => client.readFile('bench.txt'))), baseline: { label: 'local readFile', ...summarize(await timeIt(runs * 10, () => readFile(join(local, 'bench.txt')))) } });
    rows.push({ what: 'fs write (1 KB, atomic)', ours: summarize(await timeIt(runs * 10, () => client.writeFile('bench.txt', 'y'.repeat(1024)))), baseline: { label: 'local writeFile', ...summarize(await timeIt(runs * 10, () => writeFile(join(local, 'bench.txt'), 'y'.repeat(1024)))) } });
    await rm(local, { recursive: true, force: true });

    const container = docker.getContainer(containerName(sandbox.id));
    const stats = await container.stats({ stream: false }) as unknown as { memory_stats: { usage: number; stats?: { inactive_file?: number } } };
    const idleMb = (stats.memory_stats.usage - (stats.memory_stats.stats?.inactive_file ?? 0)) / 1024 / 1024;
    rows.push({ what: 'idle memory per sandbox (MB, after the calls above)', ours: { p50: idleMb, p95: idleMb, n: 1 }, goal: '≤ 20 MB' });
    rows.push(...await memoryRows(container, idleMb));
  } finally {
    await cold.s.close();
    await removeInstallation(installation, docker);
  }

  const warm = await lifecycleHarness(runtime, { sandboxImage: image, warmPool: 2, reconcile: { intervalMs: 1000, observeMs: 5000, leaseSeconds: 20, concurrency: 4 } });
  const warmInstallation = warm.s.reconciler!.ctx.installation;
  try {
    progress('warm pool');
    const timelines: CreateTimeline[] = [];
    const samples = await warmCreates(warm, runs, async (projectId) => { await (await warm.daemonOf(projectId)).call('exec.run', { command: ['true'] }); }, undefined, timelines);
    rows.push({ what: 'warm-pool create → first tool call done', ours: summarize(samples), goal: '≤ 15 ms p50' });
    rows.push(...stageRows(timelines, WARM_STEPS));
  } finally {
    await warm.s.close();
    await removeInstallation(warmInstallation, docker);
  }
  return rows;
}

/**
 * Creates through a warm pool, as a client sees them: from the API call until the RUNNING status
 * arrives pushed over the WebSocket, then `then` (e.g. a first tool call), each after the pool refilled.
 */
export async function warmCreates(warm: LifecycleHarness, runs: number, then: (projectId: string) => Promise<void> = async () => {}, after: (projectId: string) => Promise<void> = async () => {}, timelines: CreateTimeline[] = []): Promise<number[]> {
  const poolReady = async () => (await readyPoolSize(warm.s.db.sql)) >= 1;
  const socket = await openTestSocket(warm.s.url, warm.user.token);
  await socket.request('projects.subscribe', { teamId: warm.user.teamId });
  // Kept by project id as they come: the reconciler may pass a stage before the API's answer arrives.
  const marks = new Map<string, CreateTimeline['stages']>();
  const detach = warm.s.reconciler?.ctx.stages.listen((projectId, stage, at) => {
    if (!marks.has(projectId)) marks.set(projectId, {});
    marks.get(projectId)![stage] = at;
  });
  const samples: number[] = [];
  try {
    for (let i = 0; i < runs; i++) {
      while (!(await poolReady())) await new Promise((r) => setTimeout(r, 50));
      const start = performance.now();
      const timeline: CreateTimeline = { asked: epochNow(), stages: {} };
      const project = await warm.create({ template: 'empty' });
      timeline.answered = epochNow();
      await socket.next((f) => f.event === 'project.updated' && f.data.project.id === project.id && f.data.project.status === 'RUNNING', 30_000);
      timeline.seen = epochNow();
      timeline.stages = marks.get(project.id) ?? {};
      await then(project.id);
      timeline.called = epochNow();
      samples.push(performance.now() - start);
      timelines.push(timeline);
      await after(project.id);
    }
  } finally {
    detach?.();
    await socket.close();
  }
  return samples;
}
