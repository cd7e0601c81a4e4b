import { cpus, totalmem, release } from 'node:os';
import { breakdownTable } from './breakdown';
import { p50, p99, type ScaleResult } from './scale-bench';

const f = (v: number | undefined, digits = 1) => (v === undefined || Number.isNaN(v) ? '—' : v.toFixed(digits));
const mb = (bytes: number) => bytes / 1024 / 1024;

/** The machine the figures came from, in one line. */
export function machineLine(docker: string): string {
  return `${cpus().length} × ${cpus()[0]?.model.trim() ?? 'CPU'}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Linux ${release()}, ${docker}, node ${process.version}`;
}

/** The scale table, the goals with what was measured beside them, and the per-stage breakdowns. */
export function scaleReport(r: ScaleResult, memoryHow: string): string {
  const out: string[] = [];
  const { n, concurrency } = r.options;
  out.push(`### ${r.target}: ${n} projects, reconciler concurrency ${concurrency}`, '');
  out.push('| sandboxes | created in (s) | rate (/s) | memory / idle sandbox, cgroups (MB) | MemAvailable drop / sandbox (MB) | server CPU (% of a core) | server CPU / sandbox above empty (% of a core) | server RSS (MB) | RSS / sandbox above empty (KB) | sandboxes\' CPU together (% of a core) | dockerd CPU (%) | project read p50 / p99 (ms) | file read p50 / p99 (ms) | failed reads / restarts / DEGRADED | host busy (% of all cores) / load |');
  out.push('|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|');
  out.push(`| 0 | — | — | — | — | ${f(r.empty.serverCpuPct, 2)} | — | ${f(mb(r.empty.serverRss), 0)} | — | — | ${f(r.empty.dockerdCpuPct)} | ${f(p50(r.emptyReads), 2)} / ${f(p99(r.emptyReads), 2)} (a stopped project) | — | — | ${f(r.empty.hostBusyPct, 0)} / ${f(r.empty.load)} |`);
  for (const s of r.steps) {
    out.push(`| ${s.sandboxes} | ${f(s.createMs / 1000)} | ${f(s.made / (s.createMs / 1000), 2)} | ${s.cgroupBytes === undefined ? '—' : f(mb(s.cgroupBytes / s.sandboxes))} | ${f(mb(s.memAvailableDrop / s.sandboxes))} | ${f(s.idle.serverCpuPct, 2)} | ${f((s.idle.serverCpuPct - r.empty.serverCpuPct) / s.sandboxes, 4)} | ${f(mb(s.idle.serverRss), 0)} | ${f((s.idle.serverRss - r.empty.serverRss) / 1024 / s.sandboxes, 0)} | ${f(s.idle.sandboxCpuPct, 1)} | ${f(s.idle.dockerdCpuPct)} | ${f(p50(s.projectRead), 2)} / ${f(p99(s.projectRead), 2)} | ${f(p50(s.fileRead), 2)} / ${f(p99(s.fileRead), 2)} | ${s.failed} / ${s.restarts} / ${s.degraded} | ${f(s.idle.hostBusyPct, 0)} / ${f(s.idle.load)} |`);
  }
  out.push('', `Memory per idle sandbox: ${memoryHow}. MemAvailable is the host's, before the first sandbox and at each step (shared machine: others' tests move it). Idle windows ${r.options.idleSeconds} s, after one observer pass; the server runs in the bench's process, which only sleeps during a window. API reads: ${r.options.samples} sequential samples each, spread over the projects; a read that fails is counted, not timed. Restarts: sandboxes the observer restarted during the window and reads (a health check that timed out); DEGRADED: projects in that state at the end (a process-start probe that failed or took over 3 s).`, '');

  const last = r.steps.at(-1);
  const first = r.steps[0];
  const burst = r.steps.reduce((a, s) => ({ n: a.n + s.made, ms: a.ms + s.createMs }), { n: 0, ms: 0 });
  const ourRate = burst.n / (burst.ms / 1000);
  const total = last?.sandboxes ?? 0;
  const rawRate = total / (r.baseline.runMs / 1000);
  const perSandbox = (s: typeof last) => s ? (s.idle.serverCpuPct - r.empty.serverCpuPct) / s.sandboxes : NaN;
  const at500 = last ? r.empty.serverCpuPct + perSandbox(last) * 500 : NaN;
  out.push('| goal | measured | met |', '|---|---|---|');
  if (last) {
    const worst = Math.max(p99(last.projectRead), p99(last.fileRead));
    out.push(`| 500 idle sandboxes, API p99 < 20 ms | ${last.sandboxes} idle: project read p99 ${f(p99(last.projectRead), 2)} ms, file read p99 ${f(p99(last.fileRead), 2)} ms | ${last.sandboxes >= 500 && worst < 20 ? 'yes' : worst < 20 ? `p99 yes; ${last.sandboxes} < 500 sandboxes here` : 'no'} |`);
    out.push(`| creation throughput ≥ 0.8× the raw loop | ${f(ourRate, 2)}/s vs ${f(rawRate, 2)}/s (${r.baseline.label}) = ${f(ourRate / rawRate, 2)}× | ${ourRate / rawRate >= 0.8 ? 'yes' : 'no'} |`);
    out.push(`| server CPU at idle < 5% with 500 | ${f(last.idle.serverCpuPct, 2)}% with ${last.sandboxes} (empty ${f(r.empty.serverCpuPct, 2)}%); at 500, linearly: ${f(at500, 2)}% | ${at500 < 5 ? 'yes' : 'no'} |`);
    if (first && first !== last) out.push(`| observer cost grows no faster than linearly | server CPU per sandbox at ${first.sandboxes}: ${f(perSandbox(first), 4)}%, at ${last.sandboxes}: ${f(perSandbox(last), 4)}% (${f(perSandbox(last) / perSandbox(first), 2)}×) | ${perSandbox(last) <= perSandbox(first) * 1.25 ? 'yes' : 'no'} |`);
    out.push(`| all N deleted | ${total} in ${f(r.deleteMs / 1000)} s vs raw \`rm -f\` loop ${f(r.baseline.rmMs / 1000)} s (${f(r.deleteMs / r.baseline.rmMs, 2)}×) | — |`);
  }
  if (r.concurrencyAB.length) {
    out.push('', 'Creation throughput by reconciler concurrency (equal bursts, one after the other, same run):', '', '| concurrency | burst | created in (s) | rate (/s) |', '|---|---|---|---|');
    for (const ab of r.concurrencyAB) out.push(`| ${ab.concurrency} | ${ab.made} | ${f(ab.ms / 1000)} | ${f(ab.made / (ab.ms / 1000), 2)} |`);
  }
  if (r.observerAB.length) {
    out.push('', `The observer at ${total} idle sandboxes, before (every sandbox health-checked, with a process-start probe, on every pass) and after (watched, healthy ones on their share of the passes), same run:`, '');
    out.push('| checked every | server CPU (% of a core) | sandboxes\' CPU together (% of a core) | dockerd CPU (%) | project read p50 / p99 (ms) | file read p50 / p99 (ms) | failed reads / restarts / DEGRADED | host busy (%) / load |', '|---|---|---|---|---|---|---|---|');
    for (const ab of [...r.observerAB].sort((x, y) => x.probeEvery - y.probeEvery)) out.push(`| ${ab.probeEvery === 1 ? 'pass (before)' : `${ab.probeEvery} passes (after)`} | ${f(ab.idle.serverCpuPct, 2)} | ${f(ab.idle.sandboxCpuPct)} | ${f(ab.idle.dockerdCpuPct)} | ${f(p50(ab.projectRead), 2)} / ${f(p99(ab.projectRead), 2)} | ${f(p50(ab.fileRead), 2)} / ${f(p99(ab.fileRead), 2)} | ${ab.failed} / ${ab.restarts} / ${ab.degraded} | ${f(ab.idle.hostBusyPct, 0)} / ${f(ab.idle.load)} |`);
  }
  if (r.errors.length) out.push('', `Projects that went to ERROR on the way (retried): ${r.errors.map((e) => JSON.stringify(e)).join('; ')}`);
  out.push('', breakdownTable('Cold create, one at a time: where the time goes', r.serial), '');
  out.push(breakdownTable(`Cold create in bursts of up to ${r.options.n - Math.round(r.options.n / 2)}, 16 API calls at a time, reconciler concurrency ${concurrency}`, r.burst));
  return out.join('\n');
}
