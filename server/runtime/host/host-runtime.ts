import { spawn } from 'node:child_process';
import { closeSync, existsSync, openSync } from 'node:fs';
import { mkdir, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { freePort } from '../../net/free-port';
import { resourcePath } from '../../resources';
import type { Runtime, SandboxSpec, SandboxStatus, RuntimeListing } from '../runtime';
import { daemonSettingsEnv, noDatabaseSupport, SandboxFailure } from '../runtime';

interface DaemonState { pid: number; port: number; installation: string }

/**
 * NO ISOLATION: each sandbox is the daemon as a child process of its own (own process group, so it
 * outlives a killed server and is adopted again), serving `<dir>/<id>/workspace` on loopback.
 * For trying Slipway without Docker and for single-user development only.
 */
export class HostRuntime implements Runtime {
  readonly kind = 'host' as const;

  constructor(private readonly dir: string, private readonly daemonBundle = resourcePath('dist', 'daemon.cjs')) {}

  async hasImage(): Promise<boolean> {
    return true;
  }

  private paths(id: string) {
    const root = join(this.dir, id);
    return { root, workspace: join(root, 'workspace'), state: join(root, 'daemon.json'), log: join(root, 'daemon.log') };
  }

  private async readState(id: string): Promise<DaemonState | undefined> {
    try {
      return JSON.parse(await readFile(this.paths(id).state, 'utf8')) as DaemonState;
    } catch {
      return undefined;
    }
  }

  async start(spec: SandboxSpec): Promise<{ address: string }> {
    if (spec.database) throw noDatabaseSupport(this.kind);
    const state = await this.readState(spec.id);
    if (state && alive(state.pid)) return { address: `http://127.0.0.1:${state.port}` };
    if (!existsSync(this.daemonBundle)) throw new SandboxFailure(`the daemon bundle ${this.daemonBundle} is missing: run "npm run build"`, false);
    const paths = this.paths(spec.id);
    await mkdir(paths.workspace, { recursive: true });
    const port = await freePort();
    const log = openSync(paths.log, 'a');
    const child = spawn(process.execPath, [this.daemonBundle], {
      cwd: paths.workspace,
      detached: true,
      stdio: ['ignore', log, log],
      env: {
        PATH: process.env.PATH ?? '/usr/bin:/bin',
        HOME: process.env.HOME ?? paths.root,
        LANG: process.env.LANG ?? 'C.UTF-8',
        SLIPWAY_DAEMON_TOKEN: spec.token,
        SLIPWAY_DAEMON_HOST: '127.0.0.1',
        SLIPWAY_DAEMON_PORT: String(port),
        SLIPWAY_WORKSPACE: paths.workspace,
        ...daemonSettingsEnv(spec),
      },
    });
    closeSync(log);
    child.unref();
    if (!child.pid) throw new SandboxFailure('the daemon process could not be started');
    await writeFile(paths.state, JSON.stringify({ pid: child.pid, port, installation: spec.labels.installation } satisfies DaemonState));
    return { address: `http://127.0.0.1:${port}` };
  }

  async stop(id: string): Promise<void> {
    const state = await this.readState(id);
    if (!state || !alive(state.pid)) return;
    signalGroup(state.pid, 'SIGTERM');
    for (let waited = 0; waited < 3000 && alive(state.pid); waited += 50) await new Promise((r) => setTimeout(r, 50));
    if (alive(state.pid)) signalGroup(state.pid, 'SIGKILL');
  }

  async remove(id: string): Promise<void> {
    await this.stop(id);
    await rm(this.paths(id).root, { recursive: true, force: true });
  }

  async inspect(id: string): Promise<SandboxStatus> {
    if (!existsSync(this.paths(id).root)) return { id, state: 'missing' };
    const state = await this.readState(id);
    return { id, state: state && alive(state.pid) ? 'running' : 'stopped' };
  }

  async list(installation: string): Promise<RuntimeListing> {
    const ids = existsSync(this.dir) ? await readdir(this.dir) : [];
    const sandboxes: SandboxStatus[] = [];
    for (const id of ids) {
      const state = await this.readState(id);
      if (state && state.installation !== installation) continue;
      sandboxes.push(await this.inspect(id));
    }
    return { sandboxes, workspaces: sandboxes.map((s) => s.id) };
  }

  async diagnose(id: string): Promise<string> {
    const text = await readFile(this.paths(id).log, 'utf8').catch(() => '');
    const last = text.split('\n').filter(Boolean).slice(-10).join('\n');
    return `the sandbox daemon is not running${last ? `; last output:\n${last}` : ''}`;
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function signalGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    try { process.kill(pid, signal); } catch { /* gone */ }
  }
}
