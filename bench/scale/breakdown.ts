import type { CreateTimeline } from '../../server/bench/breakdown-rows';
import { summarize } from '../stats';

/** Everything known about one project's creation (epoch ms), with the engine's create and start events. */
export interface Timeline extends CreateTimeline {
  engineCreated?: number;
  engineStarted?: number;
}

/** Stages in order: a name and how to get its duration from a timeline (undefined if not known). */
const STAGES: [string, (t: Timeline) => number | undefined][] = [
  ['API answer (auth, validate, INSERT, NOTIFY)', (t) => diff(t.asked, t.answered)],
  ['reconcile pickup (NOTIFY → claimed; includes waiting for a free slot)', (t) => diff(t.answered, t.stages.claimed)],
  ['DB: sandbox row, limits, status STARTING', (t) => diff(t.stages.claimed, t.stages.recorded)],
  ['runtime start, all of it (until the sandbox has an address)', (t) => diff(t.stages.recorded, t.stages.started)],
  ['… of which Docker create (network + volumes checked, container created)', (t) => diff(t.stages.recorded, t.engineCreated)],
  ['… of which Docker start', (t) => diff(t.engineCreated, t.engineStarted)],
  ['… of which the address (inspect after start)', (t) => diff(t.engineStarted, t.stages.started)],
  ['daemon boot (until its health answers)', (t) => diff(t.stages.started, t.stages.daemon)],
  ['first answers (template seeded, variables pushed)', (t) => diff(t.stages.daemon, t.stages.prepared)],
  ['status RUNNING written', (t) => diff(t.stages.prepared, t.stages.running)],
  ['client told (NOTIFY → WebSocket)', (t) => diff(t.stages.running, t.seen)],
  ['total: API call → RUNNING at the client', (t) => diff(t.asked, t.seen)],
];

function diff(from: number | undefined, to: number | undefined): number | undefined {
  return from === undefined || to === undefined ? undefined : to - from;
}

const ms = (v: number) => (Number.isNaN(v) ? '—' : v >= 100 ? v.toFixed(0) : v.toFixed(1));

/** A markdown table of each stage's p50 / p95 over the timelines, and its share of the total p50. */
export function breakdownTable(title: string, timelines: Timeline[]): string {
  const total = summarize(timelines.map(STAGES.at(-1)![1]).filter((v): v is number => v !== undefined)).p50;
  const lines = [`**${title}** (${timelines.length} projects)`, '', '| stage | p50 (ms) | p95 (ms) | share of total p50 |', '|---|---|---|---|'];
  for (const [name, of] of STAGES) {
    const s = summarize(timelines.map(of).filter((v): v is number => v !== undefined));
    lines.push(`| ${name} | ${ms(s.p50)} | ${ms(s.p95)} | ${s.n ? `${((s.p50 / total) * 100).toFixed(0)}%` : '—'} |`);
  }
  return lines.join('\n');
}
