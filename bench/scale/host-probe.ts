import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { loadavg } from 'node:os';
import { promisify } from 'node:util';

const run = promisify(execFile);
const CGROUP = '/sys/fs/cgroup';
const TICK_MS = 10; // USER_HZ is 100 on Linux

/**
 * What the host says about containers and processes, read from the kernel (cgroups, /proc) so that
 * measuring 500 containers costs no `docker stats` stream per container. Memory is what `docker
 * stats` reports: usage minus inactive file cache (cgroup v1: usage_in_bytes − total_inactive_file;
 * v2: memory.current − inactive_file).
 */
async function firstReadable(paths: string[]): Promise<string | undefined> {
  for (const path of paths) {
    try {
      return await readFile(path, 'utf8');
    } catch { /* next layout */ }
  }
  return undefined;
}

const statField = (stat: string, name: string): number => Number(new RegExp(`^${name} (\\d+)$`, 'm').exec(stat)?.[1] ?? 0);

/**
 * A sandbox's cgroup, as directories relative to each controller's root that it may be under
 * (cgroupfs or systemd drivers): e.g. `docker/<id>`, `system.slice/docker-<id>.scope`,
 * `kubepods/burstable/pod<uid>`.
 */
export type CgroupDirs = string[];

export const dockerCgroup = (id: string): CgroupDirs => [`docker/${id}`, `system.slice/docker-${id}.scope`];
export const podCgroup = (uid: string): CgroupDirs => ['burstable/', 'besteffort/', ''].map((qos) => `kubepods/${qos}pod${uid}`);

/** A sandbox's memory in bytes (as docker stats counts it), or undefined if its cgroup is not found. */
export async function cgroupMemory(dirs: CgroupDirs): Promise<number | undefined> {
  for (const dir of dirs) {
    const v1 = await firstReadable([`${CGROUP}/memory/${dir}/memory.usage_in_bytes`]);
    if (v1 !== undefined) return Number(v1) - statField(await firstReadable([`${CGROUP}/memory/${dir}/memory.stat`]) ?? '', 'total_inactive_file');
    const v2 = await firstReadable([`${CGROUP}/${dir}/memory.current`]);
    if (v2 !== undefined) return Number(v2) - statField(await firstReadable([`${CGROUP}/${dir}/memory.stat`]) ?? '', 'inactive_file');
  }
  return undefined;
}

/** A sandbox's CPU time so far, in ms. */
export async function cgroupCpuMs(dirs: CgroupDirs): Promise<number | undefined> {
  for (const dir of dirs) {
    const v1 = await firstReadable([`${CGROUP}/cpuacct/${dir}/cpuacct.usage`, `${CGROUP}/cpu,cpuacct/${dir}/cpuacct.usage`]);
    if (v1 !== undefined) return Number(v1) / 1e6;
    const v2 = await firstReadable([`${CGROUP}/${dir}/cpu.stat`]);
    if (v2 !== undefined) return statField(v2, 'usage_usec') / 1000;
  }
  return undefined;
}

export const cgroupLayout = async (): Promise<string> =>
  (await firstReadable([`${CGROUP}/cgroup.controllers`])) !== undefined ? 'cgroup v2' : 'cgroup v1';

/** CPU time (user + system) of a process so far, in ms; undefined if it is gone. */
export async function processCpuMs(pid: number): Promise<number | undefined> {
  const stat = await firstReadable([`/proc/${pid}/stat`]);
  if (!stat) return undefined;
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) * TICK_MS;
}

export async function pidOf(name: string): Promise<number | undefined> {
  try {
    const { stdout } = await run('pidof', ['-s', name]);
    return Number(stdout.trim()) || undefined;
  } catch {
    return undefined;
  }
}

/** The whole machine's CPU: busy and total jiffies (to say how loaded the shared host was). */
async function hostCpu(): Promise<{ busy: number; total: number }> {
  const line = (await readFile('/proc/stat', 'utf8')).split('\n')[0]!.trim().split(/\s+/).slice(1).map(Number);
  const total = line.reduce((a, b) => a + b, 0);
  const idle = (line[3] ?? 0) + (line[4] ?? 0);
  return { busy: total - idle, total };
}

export async function memAvailableBytes(): Promise<number> {
  const info = await readFile('/proc/meminfo', 'utf8');
  return Number(/^MemAvailable:\s+(\d+) kB$/m.exec(info)?.[1] ?? 0) * 1024;
}

export interface IdleWindow {
  seconds: number;
  /** This process (the server, with the bench asleep): % of one core, and RSS in bytes at the end. */
  serverCpuPct: number;
  serverRss: number;
  /** All the listed containers together, % of one core. */
  sandboxCpuPct: number;
  /** dockerd, % of one core (shared with everyone's tests on this machine). */
  dockerdCpuPct: number | undefined;
  /** The whole host's busy share, % of all cores, and its load average at the end. */
  hostBusyPct: number;
  load: number;
}

/** Sleeps `seconds` with nothing of the bench running, and measures who used the CPU meanwhile. */
export async function idleWindow(seconds: number, cgroups: CgroupDirs[]): Promise<IdleWindow> {
  const dockerd = await pidOf('dockerd');
  const sandboxCpu = async () => (await Promise.all(cgroups.map(cgroupCpuMs))).reduce<number>((a, b) => a + (b ?? 0), 0);
  // The server's own clock is read innermost, so reading 500 cgroups is not counted as its cost.
  const before = { sandboxes: await sandboxCpu(), dockerd: dockerd && await processCpuMs(dockerd), host: await hostCpu(), server: process.cpuUsage(), at: performance.now() };
  await new Promise((r) => setTimeout(r, seconds * 1000));
  const server = process.cpuUsage(before.server);
  const wallMs = performance.now() - before.at;
  const sandboxes = await sandboxCpu();
  const dockerdNow = dockerd && await processCpuMs(dockerd);
  const host = await hostCpu();
  return {
    seconds,
    serverCpuPct: ((server.user + server.system) / 1000 / wallMs) * 100,
    serverRss: process.memoryUsage.rss(),
    sandboxCpuPct: ((sandboxes - before.sandboxes) / wallMs) * 100,
    dockerdCpuPct: typeof dockerdNow === 'number' && typeof before.dockerd === 'number' ? ((dockerdNow - before.dockerd) / wallMs) * 100 : undefined,
    hostBusyPct: ((host.busy - before.host.busy) / (host.total - before.host.total)) * 100,
    load: loadavg()[0]!,
  };
}
