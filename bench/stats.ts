/** Percentiles of a sample, in milliseconds. */
export function summarize(samples: number[]): { p50: number; p95: number; n: number } {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? NaN;
  return { p50: at(0.5), p95: at(0.95), n: sorted.length };
}

export async function timeIt(runs: number, fn: () => Promise<unknown>, warmup = Math.min(3, runs)): Promise<number[]> {
  for (let i = 0; i < warmup; i++) await fn();
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    await fn();
    samples.push(performance.now() - start);
  }
  return samples;
}

export interface Row {
  what: string;
  ours: { p50: number; p95: number; n: number };
  baseline?: { label: string; p50: number; p95: number };
  goal?: string;
}

const ms = (v: number) => (v >= 100 ? v.toFixed(0) : v >= 10 ? v.toFixed(1) : v.toFixed(2));

/** A markdown table: ours, the baseline measured in the same run, and the ratio. */
export function table(rows: Row[]): string {
  const lines = ['| measurement | ours p50 / p95 (ms) | baseline | baseline p50 / p95 (ms) | ratio (p50) | goal |', '|---|---|---|---|---|---|'];
  for (const r of rows) {
    const ratio = r.baseline ? (r.ours.p50 / r.baseline.p50).toFixed(2) + '×' : '—';
    lines.push(`| ${r.what} | ${ms(r.ours.p50)} / ${ms(r.ours.p95)} | ${r.baseline?.label ?? '—'} | ${r.baseline ? `${ms(r.baseline.p50)} / ${ms(r.baseline.p95)}` : '—'} | ${ratio} | ${r.goal ?? ''} |`);
  }
  return lines.join('\n');
}

/** Progress on stderr, so the table on stdout stays clean. */
export const progress = (what: string) => process.stderr.write(`bench: ${what}\n`);
