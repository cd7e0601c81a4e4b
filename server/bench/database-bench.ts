import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { promisify } from 'node:util';
import Docker from 'dockerode';
import { DATABASE_READY_COMMAND } from '../runtime/database-server';
import { newDatabasePassword } from '../runtime/database-env';
import { databaseContainerName } from '../runtime/docker/database-container';
import { LABEL } from '../runtime/docker/container-spec';
import { DockerRuntime } from '../runtime/docker/docker-runtime';
import type { SandboxSpec } from '../runtime/runtime';
import { removeInstallation } from '../testing/docker-cleanup';
import { progress, summarize, type Row } from '../../bench/stats';

const execFileAsync = promisify(execFile);

/** Milliseconds `fn` takes, `runs` times (each run on fresh containers and volumes, cleaned up untimed). */
async function samples(runs: number, fn: () => Promise<() => Promise<void>>): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < runs; i++) {
    const started = performance.now();
    const cleanup = await fn();
    out.push(performance.now() - started);
    await cleanup();
  }
  return out;
}

/** A container's memory without its page cache, in MB (what `docker stats` shows). */
async function memoryMb(docker: Docker, name: string): Promise<number> {
  const stats = await docker.getContainer(name).stats({ stream: false }) as unknown as { memory_stats: { usage: number; stats?: { inactive_file?: number } } };
  return (stats.memory_stats.usage - (stats.memory_stats.stats?.inactive_file ?? 0)) / 1024 / 1024;
}

/**
 * Project databases on Docker: a new sandbox with its database until the database accepts
 * connections (runtime.start resolves then), next to a bare `docker run` of the same image until
 * `pg_isready` says yes; and a database's memory when idle.
 */
export async function databaseBench(sandboxImage: string, databaseImage: string, runs: number): Promise<Row[]> {
  const docker = new Docker();
  const runtime = new DockerRuntime(docker);
  const installation = `bench-db-${randomUUID()}`;
  const specOf = (): SandboxSpec => {
    const id = randomUUID();
    return {
      id, image: sandboxImage, token: `bench-${id}`, limits: { cpus: 1, memoryMb: 1024, pids: 256 }, labels: { installation },
      database: { image: databaseImage, password: newDatabasePassword(), limits: { cpus: 1, memoryMb: 512 } },
    };
  };
  try {
    progress('database create');
    await runtime.start(specOf()); // warm: the network, the images' pages
    const ours = await samples(runs, async () => {
      const spec = specOf();
      await runtime.start(spec);
      return () => runtime.remove(spec.id);
    });
    const raw = await samples(runs, async () => {
      const name = `slipway-bench-pg-${randomUUID()}`;
      await execFileAsync('docker', ['run', '-d', '--name', name, '--label', `${LABEL.installation}=${installation}`, '--user', '999:999', '-e', `POSTGRES_PASSWORD=${newDatabasePassword()}`, '-e', 'POSTGRES_USER=app', '-e', 'POSTGRES_DB=app', databaseImage]);
      for (;;) {
        try {
          await execFileAsync('docker', ['exec', name, ...DATABASE_READY_COMMAND]);
          break;
        } catch {
          await new Promise((r) => setTimeout(r, 50));
        }
      }
      return async () => { await execFileAsync('docker', ['rm', '-f', '-v', name]); };
    });
    const rows: Row[] = [{
      what: 'create sandbox + database → database accepts connections',
      ours: summarize(ours),
      baseline: { label: 'bare `docker run` of the database image → pg_isready', ...summarize(raw) },
      goal: '≤ 1.5×',
    }];

    progress('database idle memory');
    const idle = specOf();
    await runtime.start(idle);
    await new Promise((r) => setTimeout(r, 5000));
    const mb = await memoryMb(docker, databaseContainerName(idle.id));
    rows.push({ what: 'idle memory per database (MB)', ours: { p50: mb, p95: mb, n: 1 }, goal: '≤ 40 MB' });
    return rows;
  } finally {
    await removeInstallation(installation, docker);
  }
}
