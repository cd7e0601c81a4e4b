import { readFile } from 'node:fs/promises';
import type Docker from 'dockerode';
import type { CreateStage } from '../reconcile/stage-clock';
import { summarize, type Row } from '../../bench/stats';

/** One create as the bench saw it (epoch ms): asked, answered, the reconciler's stages, seen RUNNING, first call done. */
export interface CreateTimeline {
  asked: number;
  answered?: number;
  stages: Partial<Record<CreateStage, number>>;
  seen?: number;
  called?: number;
}

export const epochNow = (): number => performance.timeOrigin + performance.now();

/** Breakdown rows (`↳ …`): each a step's p50 / p95 over the timelines that have both ends. */
export function stageRows(timelines: CreateTimeline[], steps: [string, (t: CreateTimeline) => number | undefined, (t: CreateTimeline) => number | undefined][]): Row[] {
  return steps.map(([what, from, to]) => {
    const spans = timelines.flatMap((t) => { const a = from(t); const b = to(t); return a === undefined || b === undefined ? [] : [b - a]; });
    return { what: `↳ ${what}`, ours: summarize(spans) };
  });
}

/** The warm-pool path, step by step (a pool sandbox is running: no container start, no daemon boot). */
export const WARM_STEPS: Parameters<typeof stageRows>[1] = [
  ['API answer (auth, validate, INSERT, NOTIFY)', (t) => t.asked, (t) => t.answered],
  ['reconcile pickup (answer → claimed)', (t) => t.answered, (t) => t.stages.claimed],
  ['claim from the pool, rows and status (claimed → recorded)', (t) => t.stages.claimed, (t) => t.stages.recorded],
  ['daemon health confirmed (recorded → daemon)', (t) => t.stages.recorded, (t) => t.stages.daemon],
  ['first answers: template seeded, variables pushed (daemon → prepared)', (t) => t.stages.daemon, (t) => t.stages.prepared],
  ['status RUNNING written (prepared → running)', (t) => t.stages.prepared, (t) => t.stages.running],
  ['client told (running → RUNNING at the WebSocket)', (t) => t.stages.running, (t) => t.seen],
  ['first tool call (exec `true`)', (t) => t.seen, (t) => t.called],
];

/**
 * Where an idle sandbox's memory is: each process's anonymous memory (what it allocated itself) and
 * the rest of the container's charge (kernel memory for it, page cache it touched). Needs the
 * container's processes to be visible in this host's /proc (a local engine); none otherwise.
 */
export async function memoryRows(container: Docker.Container, totalMb: number): Promise<Row[]> {
  try {
    const top = await container.top({ ps_args: '-o pid,args' }) as { Titles: string[]; Processes: string[][] };
    const pidAt = top.Titles.indexOf('PID');
    const commAt = top.Titles.indexOf('COMMAND');
    let accounted = 0;
    const rows: Row[] = [];
    for (const process of top.Processes) {
      const status = await readFile(`/proc/${process[pidAt]}/status`, 'utf8');
      const mb = Number(/RssAnon:\s+(\d+) kB/.exec(status)?.[1] ?? NaN) / 1024;
      accounted += mb;
      rows.push({ what: `↳ \`${process[commAt]}\` (its anonymous memory)`, ours: { p50: mb, p95: mb, n: 1 } });
    }
    const rest = totalMb - accounted;
    return [...rows, { what: '↳ the rest: kernel memory for the container, page cache it holds', ours: { p50: rest, p95: rest, n: 1 } }];
  } catch {
    return [];
  }
}
