import { execFile } from 'node:child_process';
import { pidsExhausted, pidsUsage } from './pids-usage';

/**
 * Whether a process can be started right now: a sandbox whose pids are used up (a fork bomb) still
 * answers health checks from the daemon's own event loop, yet runs nothing. The server asks this to
 * report the sandbox as degraded.
 * The cgroup's count is read first: under a fork bomb processes die and are replaced all the time,
 * so one spawn may slip through a gap, and a probe that trusted it would flap between degraded and
 * healthy. Near the limit is degraded whatever one spawn does.
 */
export async function probeProcesses(timeoutMs = 3000): Promise<{ ok: boolean; error?: string }> {
  const usage = await pidsUsage();
  if (pidsExhausted(usage)) {
    return { ok: false, error: `no process can be started: the sandbox's process limit is used up (${usage.current} of ${usage.max})` };
  }
  return spawnProbe(timeoutMs);
}

function spawnProbe(timeoutMs: number): Promise<{ ok: boolean; error?: string }> {
  return new Promise((resolve) => {
    try {
      execFile('/bin/true', { timeout: timeoutMs }, (error) => {
        if (!error) return resolve({ ok: true });
        const code = (error as NodeJS.ErrnoException).code;
        if (code === 'EAGAIN') return resolve({ ok: false, error: 'no process can be started: the sandbox\'s process limit is used up (EAGAIN)' });
        if (error.killed) return resolve({ ok: false, error: `starting a process took longer than ${timeoutMs / 1000} s` });
        resolve({ ok: false, error: `no process can be started (${code ?? error.message})` });
      });
    } catch (error) {
      resolve({ ok: false, error: `no process can be started (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})` });
    }
  });
}
