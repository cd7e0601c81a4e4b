import { readFileSync } from 'node:fs';

/** A process's resident memory, as the kernel counts it. */
export const rssBytes = (pid: number): number => Number(/VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))![1]) * 1024;

/** How far `pid`'s resident memory rose above where it was (sampled every 10 ms) while `work` ran. */
export async function rssGrowthDuring(pid: number, work: () => Promise<void>): Promise<number> {
  const baseline = rssBytes(pid);
  let peak = baseline;
  const sampler = setInterval(() => { peak = Math.max(peak, rssBytes(pid)); }, 10);
  try {
    await work();
  } finally {
    clearInterval(sampler);
  }
  return Math.max(peak, rssBytes(pid)) - baseline;
}
