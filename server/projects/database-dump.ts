import { posix } from 'node:path';
import type { DaemonClient } from '../daemon-client';
import { AppError } from '../errors';
import { DATABASE_NAME } from '../runtime/database-env';

/** Long enough for a large database; the request waits for it (the client shows progress). */
const DUMP_TIMEOUT_MS = 30 * 60_000;

/** `pg_dump` (custom format) of the project's database into a workspace file, run in the sandbox. */
export async function dumpDatabase(client: DaemonClient, path: string): Promise<{ path: string; bytes: number; durationMs: number }> {
  const dir = posix.dirname(path);
  if (dir !== '.') await client.call('fs.mkdir', { path: dir, recursive: true });
  const run = await client.call('exec.run', { command: ['pg_dump', '--format=custom', '--no-owner', '--no-privileges', '--file', path], timeoutMs: DUMP_TIMEOUT_MS });
  if (run.exitCode !== 0) throw failed('pg_dump', run);
  const entry = await client.call('fs.stat', { path });
  return { path, bytes: entry.size, durationMs: run.durationMs };
}

/** `pg_restore` of a workspace dump into the project's database, run in the sandbox. */
export async function restoreDatabase(client: DaemonClient, path: string, clean: boolean): Promise<{ durationMs: number; warnings: string }> {
  await client.call('fs.stat', { path }); // a missing file is a clear 404, not pg_restore's message
  const args = ['pg_restore', '--no-owner', '--no-privileges', '--dbname', DATABASE_NAME, ...(clean ? ['--clean', '--if-exists'] : []), path];
  const run = await client.call('exec.run', { command: args, timeoutMs: DUMP_TIMEOUT_MS });
  if (run.exitCode !== 0) throw failed('pg_restore', run);
  return { durationMs: run.durationMs, warnings: run.stderr.trim().slice(0, 4000) };
}

function failed(tool: string, run: { exitCode: number | null; stderr: string; timedOut: boolean }): AppError {
  const why = run.timedOut ? 'it timed out' : run.stderr.trim().split('\n').slice(-3).join(' ').slice(0, 1000) || `it exited with ${run.exitCode}`;
  return new AppError('bad_request', `${tool} failed in the sandbox: ${why}`, { reason: 'tool_failed' });
}
