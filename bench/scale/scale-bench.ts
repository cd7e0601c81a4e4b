import { epochNow } from '../../server/bench/breakdown-rows';
import { lifecycleHarness, type LifecycleHarness } from '../../server/reconcile/lifecycle.suite';
import type { Runtime, SandboxLimits } from '../../server/runtime/runtime';
import { openTestSocket } from '../../server/testing/ws-client';
import { waitFor } from '../../server/testing/wait-for';
import { progress, summarize } from '../stats';
import type { Timeline } from './breakdown';
import { parallel } from './parallel';
import type { EngineTimes } from './engine-events';
import { cgroupMemory, idleWindow, memAvailableBytes, type CgroupDirs, type IdleWindow } from './host-probe';

/** What the scale bench needs of a runtime besides the runtime itself. */
export interface ScaleTarget {
  name: string;
  runtime: Runtime;
  /** The cgroups of the installation's running sandboxes, to read their memory and CPU here. */
  cgroups(installation: string): Promise<CgroupDirs[]>;
  /** Sandboxes (containers or pods) of the installation still present. */
  remaining(installation: string): Promise<number>;
  engine?(installation: string): Promise<EngineTimes>;
  /** The raw loop of the same image and options: N made, then N removed, `width` at a time. */
  baseline(n: number, width: number, image: string, limits: SandboxLimits): Promise<{ label: string; runMs: number; rmMs: number }>;
  cleanup(installation: string): Promise<void>;
}

export interface ScaleOptions {
  n: number;
  /** The reconciler's concurrency (the server's default is 4). */
  concurrency: number;
  idleSeconds: number;
  /** API samples per measurement. */
  samples: number;
  /** Projects created one at a time first, for the unloaded breakdown. */
  serial: number;
  /** A second reconciler concurrency to compare creation throughput with, in two equal bursts of the same run. */
  compareConcurrency?: number;
}

interface Reads { projectRead: number[]; fileRead: number[]; failed: number }
interface Verdicts { restarts: number; degraded: number }

export interface IdleStep {
  sandboxes: number;
  /** Created in this step's burst. */
  made: number;
  createMs: number;
  idle: IdleWindow;
  /** Sum over the sandboxes' cgroups; undefined where none can be read. */
  cgroupBytes?: number;
  memAvailableDrop: number;
  projectRead: number[];
  fileRead: number[];
  /** API reads that did not answer 200 (e.g. 503 while a sandbox restarts). */
  failed: number;
  /** Health verdicts during the window and reads: sandboxes restarted by the observer, projects DEGRADED at the end. */
  restarts: number;
  degraded: number;
}

export interface ScaleResult {
  target: string;
  options: ScaleOptions;
  empty: IdleWindow;
  /** Project reads with no sandbox at all: the floor this machine's load sets. */
  emptyReads: number[];
  steps: IdleStep[];
  serial: Timeline[];
  burst: Timeline[];
  deleteMs: number;
  baseline: { label: string; runMs: number; rmMs: number };
  errors: string[];
  /** Creation bursts of equal size at two concurrencies, one after the other. */
  concurrencyAB: { concurrency: number; made: number; ms: number }[];
  /** At N: the observer checking every sandbox on every pass (as before), then its share only. */
  observerAB: ({ probeEvery: number; idle: IdleWindow } & Reads & Verdicts)[];
}

const now = epochNow;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Creates N projects through the API against a real runtime and reconciler (in steps to N/4, N/2
 * and N, idle measurements after each), reads under that load, deletes them all, then runs the raw
 * loop of the same size. The server runs in this process: while the bench sleeps in an idle window,
 * this process's CPU is the server's.
 */
export async function scaleBench(target: ScaleTarget, image: string, o: ScaleOptions): Promise<ScaleResult> {
  const h = await lifecycleHarness(target.runtime, {
    sandboxImage: image, warmPool: 0,
    reconcile: { intervalMs: 1000, observeMs: 5000, leaseSeconds: 20, concurrency: o.concurrency },
  });
  const ctx = h.s.reconciler!.ctx;
  const installation = ctx.installation;
  const timelines = new Map<string, Timeline>();
  const marks = new Map<string, Timeline['stages']>();
  const seen = new Map<string, number>();
  const errors = new Map<string, string>();
  const detach = ctx.stages.listen((id, stage, at) => {
    const m = marks.get(id) ?? {};
    m[stage] ??= at;
    marks.set(id, m);
  });
  const engine = await target.engine?.(installation);
  const socket = await openTestSocket(h.s.url, h.user.token);
  await socket.request('projects.subscribe', { teamId: h.user.teamId });
  socket.ws.on('message', (data) => {
    const frame = JSON.parse(String(data)) as { event?: string; data?: { project: { id: string; status: string; statusMessage: string | null } } };
    const p = frame.event === 'project.updated' ? frame.data!.project : undefined;
    if (p?.status === 'RUNNING' && !seen.has(p.id)) seen.set(p.id, now());
    if (p?.status === 'ERROR') errors.set(p.id, p.statusMessage ?? 'ERROR');
  });
  const ids: string[] = [];
  const withFile: string[] = [];
  let closed: Promise<void> | undefined;
  const teardown = () => closed ??= (async () => {
    detach();
    engine?.stop();
    await socket.close().catch(() => {});
    await h.s.close().catch(() => {});
    await target.cleanup(installation);
  })();

  const verdicts = async (since?: Verdicts): Promise<Verdicts> => {
    const [now] = await h.s.db.sql<[Verdicts]>`
      SELECT coalesce(sum(s.restarts), 0)::int AS restarts, count(*) FILTER (WHERE p.status = 'DEGRADED')::int AS degraded
      FROM projects p LEFT JOIN sandboxes s ON s.project_id = p.id`;
    return { restarts: now.restarts - (since?.restarts ?? 0), degraded: now.degraded };
  };

  const create = async (count: number, width: number): Promise<number> => {
    const start = now();
    const batch: string[] = [];
    await parallel(count, width, async () => {
      const asked = now();
      const project = await h.create({ template: 'empty' });
      timelines.set(project.id, { asked, answered: now(), stages: {} });
      batch.push(project.id);
    });
    ids.push(...batch);
    await waitFor(async () => batch.every((id) => seen.has(id) || errors.has(id)), { timeoutMs: 120_000 + count * 3000, intervalMs: 100, what: `${count} projects RUNNING` });
    // A sandbox the reconciler gave up on is retried with backoff: the bench waits for it too.
    if (batch.some((id) => !seen.has(id))) await h.waitStatus(batch.find((id) => !seen.has(id))!, 'RUNNING', 120_000).catch(() => {});
    // Each measured read needs a small file: a few of each batch get one.
    for (const id of batch.slice(0, 5)) {
      const put = await h.s.call('PUT', `/api/projects/${id}/files?path=bench.txt`, { token: h.user.token, raw: 'x'.repeat(100), headers: { 'content-type': 'application/octet-stream' } });
      if (put.status === 200) withFile.push(id);
    }
    return Math.max(...batch.map((id) => seen.get(id) ?? now())) - start;
  };

  try {
    const memBefore = await memAvailableBytes();
    progress(`${target.name} scale: idle with no sandbox (${o.idleSeconds} s)`);
    const empty = await idleWindow(o.idleSeconds, []);
    const floor = await h.create({ template: 'empty', start: false });
    const emptyReads = (await apiReads(h, [floor.id], [], o.samples)).projectRead;
    await h.s.call('DELETE', `/api/projects/${floor.id}`, { token: h.user.token });

    progress(`${target.name} scale: ${o.serial} creates one at a time`);
    for (let i = 0; i < o.serial; i++) await create(1, 1);
    const serialIds = [...ids];

    const concurrencyAB: ScaleResult['concurrencyAB'] = [];
    const abIds: string[] = [];
    const burstSize = Math.round(o.n / 10);
    if (o.compareConcurrency && ids.length + 2 * burstSize <= o.n / 4 + 1 && burstSize >= 4) {
      for (const concurrency of [o.compareConcurrency, o.concurrency]) {
        progress(`${target.name} scale: a burst of ${burstSize} at reconciler concurrency ${concurrency}`);
        ctx.config.reconcile.concurrency = concurrency;
        concurrencyAB.push({ concurrency, made: burstSize, ms: await create(burstSize, 16) });
        abIds.push(...ids.slice(-burstSize));
      }
      ctx.config.reconcile.concurrency = o.concurrency;
    }

    const steps: IdleStep[] = [];
    for (const size of [...new Set([Math.round(o.n / 4), Math.round(o.n / 2), o.n])].filter((k) => k > ids.length)) {
      const made = size - ids.length;
      progress(`${target.name} scale: creating ${made} more (to ${size}) through the API`);
      const createMs = await create(made, 16);
      // One observer pass (and its health checks) after the last start, before measuring idle.
      await sleep(6000);
      const containers = await target.cgroups(installation);
      progress(`${target.name} scale: ${size} idle (${o.idleSeconds} s), then API reads`);
      const verdictsFrom = await verdicts();
      const idle = await idleWindow(o.idleSeconds, containers);
      const cgroup = await Promise.all(containers.map(cgroupMemory));
      const known = cgroup.filter((b): b is number => b !== undefined);
      steps.push({
        sandboxes: size, made, createMs, idle,
        cgroupBytes: known.length ? (known.reduce((a, b) => a + b, 0) / known.length) * size : undefined,
        memAvailableDrop: memBefore - (await memAvailableBytes()),
        ...(await apiReads(h, ids, withFile, o.samples)),
        ...(await verdicts(verdictsFrom)),
      });
    }

    // The observer before (every sandbox checked on every pass) and after (each on its share), same N.
    const observerAB: ScaleResult['observerAB'] = [];
    const probeEvery = ctx.config.reconcile.probeEvery;
    // The new way first, so that restarts the old way causes cannot weigh on it.
    for (const every of probeEvery > 1 ? [probeEvery, 1] : []) {
      progress(`${target.name} scale: ${ids.length} idle with the observer checking each sandbox every ${every} pass(es)`);
      ctx.config.reconcile.probeEvery = every;
      await sleep(6000);
      const verdictsFrom = await verdicts();
      const idle = await idleWindow(o.idleSeconds, await target.cgroups(installation));
      observerAB.push({ probeEvery: every, idle, ...(await apiReads(h, ids, withFile, o.samples)), ...(await verdicts(verdictsFrom)) });
    }
    ctx.config.reconcile.probeEvery = probeEvery;

    progress(`${target.name} scale: deleting ${ids.length}`);
    const deleteStart = now();
    await parallel(ids.length, 16, async (i) => { await h.s.call('DELETE', `/api/projects/${ids[i]}`, { token: h.user.token }); });
    await waitFor(async () => {
      const [{ n }] = await h.s.db.sql<[{ n: number }]>`SELECT count(*)::int AS n FROM projects WHERE status <> 'TERMINATED'`;
      return n === 0 && (await target.remaining(installation)) === 0;
    }, { timeoutMs: 120_000 + ids.length * 2000, intervalMs: 200, what: 'every project deleted and its sandbox gone' });
    const deleteMs = now() - deleteStart;

    const all = [...timelines.entries()].map(([id, t]) => ({ id, ...t, stages: marks.get(id) ?? {}, engineCreated: engine?.created.get(id), engineStarted: engine?.started.get(id), seen: seen.get(id) }));
    const isSerial = new Set(serialIds);
    const isAB = new Set(abIds);
    const [serial, burst] = [all.filter((t) => isSerial.has(t.id)), all.filter((t) => !isSerial.has(t.id) && !isAB.has(t.id))];
    await teardown();

    progress(`${target.name} scale: raw loop of ${ids.length}`);
    const baseline = await target.baseline(ids.length, o.concurrency, image, h.s.services.config.sandboxLimits);
    return { target: target.name, options: o, empty, emptyReads, steps, serial, burst, deleteMs, baseline, errors: [...new Set(errors.values())], concurrencyAB, observerAB };
  } finally {
    await teardown();
  }
}

/** Sequential API reads spread over the projects: a project, and a 100-byte file (server → daemon). */
async function apiReads(h: LifecycleHarness, ids: string[], withFile: string[], samples: number): Promise<Reads> {
  let failed = 0;
  const timed = async (path: (i: number) => string) => {
    const out: number[] = [];
    for (let i = 0; i < samples + 5; i++) {
      const start = performance.now();
      const res = await h.s.call('GET', path(i), { token: h.user.token });
      if (res.status !== 200) failed++;
      else if (i >= 5) out.push(performance.now() - start);
    }
    return out;
  };
  return {
    projectRead: await timed((i) => `/api/projects/${ids[(i * 7919) % ids.length]}`),
    fileRead: withFile.length ? await timed((i) => `/api/projects/${withFile[i % withFile.length]}/files?path=bench.txt`) : [],
    failed,
  };
}

export const p99 = (samples: number[]) => {
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(0.99 * sorted.length))] ?? NaN;
};
export const p50 = (samples: number[]) => summarize(samples).p50;
