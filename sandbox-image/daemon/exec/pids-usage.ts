import { readFile } from 'node:fs/promises';

/** The process-count limit of the sandbox's cgroup and how much of it is used (v2, then v1 paths). */
export interface PidsUsage { current: number; max: number }

const PLACES = [
  ['/sys/fs/cgroup/pids.current', '/sys/fs/cgroup/pids.max'],
  ['/sys/fs/cgroup/pids/pids.current', '/sys/fs/cgroup/pids/pids.max'],
] as const;

/** Undefined when there is no limit to read (no pids controller, or `max`): nothing to judge by. */
export async function pidsUsage(places: ReadonlyArray<readonly [string, string]> = PLACES): Promise<PidsUsage | undefined> {
  for (const [currentPath, maxPath] of places) {
    try {
      const [current, max] = await Promise.all([readFile(currentPath, 'utf8'), readFile(maxPath, 'utf8')]);
      const limit = Number(max.trim());
      if (!Number.isInteger(limit) || limit <= 0) return undefined; // "max": unlimited
      return { current: Number(current.trim()), max: limit };
    } catch {
      /* not this layout */
    }
  }
  return undefined;
}

/** Used up: at 95% of the limit or more, where a spawn fails or is a matter of luck. */
export const pidsExhausted = (usage: PidsUsage | undefined): usage is PidsUsage => usage !== undefined && usage.current >= usage.max * 0.95;
