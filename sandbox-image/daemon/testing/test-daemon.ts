import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, realpath, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { DaemonClient } from '../../../server/daemon-client/daemon-client';
import type { RunningDaemon } from '../daemon';
import { startDaemon } from '../daemon';
import { log } from '../log';

export interface TestDaemon {
  daemon: RunningDaemon;
  client: DaemonClient;
  token: string;
  /** The workspace root (real path). */
  workspace: string;
  /** A directory beside the workspace holding `secret.txt`, which nothing may reach. */
  outside: string;
  stop(): Promise<void>;
}

/** A real daemon on 127.0.0.1, a fresh temp workspace and a random token, with a client for it. */
export async function startTestDaemon(options: { maxFileBytes?: number; detachedTerminalSeconds?: number } = {}): Promise<TestDaemon> {
  log.quiet = true;
  const base = await realpath(await mkdtemp(path.join(tmpdir(), 'slipway-daemon-')));
  const workspace = path.join(base, 'workspace');
  const outside = path.join(base, 'outside');
  await mkdir(workspace);
  await mkdir(outside);
  await writeFile(path.join(outside, 'secret.txt'), 'top secret');
  const token = randomBytes(24).toString('hex');
  const daemon = await startDaemon({ host: '127.0.0.1', port: 0, workspace, token, ...options });
  const client = new DaemonClient({ baseUrl: daemon.url, token, timeoutMs: 15_000 });
  return {
    daemon,
    client,
    token,
    workspace,
    outside,
    stop: async () => {
      client.close();
      await daemon.close();
      await rm(base, { recursive: true, force: true });
    },
  };
}

/** Resolves when `check` returns something truthy, polling; rejects after `timeoutMs`. */
export async function eventually<T>(check: () => T | undefined | false | Promise<T | undefined | false>, timeoutMs = 5000, what = 'condition'): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
