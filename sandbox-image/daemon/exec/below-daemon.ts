import { access, stat } from 'node:fs/promises';
import { constants, existsSync } from 'node:fs';
import { delimiter, join, resolve } from 'node:path';
import { DaemonError } from '../rpc/daemon-error';

/** How far below the daemon the commands it starts are scheduled. */
export const COMMAND_NICENESS = 15;
const NICE = ['/usr/bin/nice', '/bin/nice'].find((path) => existsSync(path));

/**
 * The argv that runs `file args` below the daemon's CPU priority. Within the sandbox's own CPU
 * share, a command that takes all of it (a build, a fork bomb) still leaves the daemon enough to
 * answer, so the server can tell a busy or degraded sandbox from a dead one. `nice` execs the
 * command (same pid, same process group); everything it starts inherits the niceness, which cannot
 * be lowered again without a capability sandboxes do not have. The command is looked up first, so
 * a missing one is still reported as missing.
 */
export async function belowDaemon(file: string, args: string[], cwd: string, path: string | undefined): Promise<[string, string[]]> {
  const resolved = await lookup(file, cwd, path);
  return NICE ? [NICE, ['-n', String(COMMAND_NICENESS), '--', resolved, ...args]] : [resolved, args];
}

async function lookup(file: string, cwd: string, path = '/usr/local/bin:/usr/bin:/bin'): Promise<string> {
  if (!file) throw new DaemonError('bad_request', 'no command given', 'invalid_argument');
  const candidates = file.includes('/') ? [resolve(cwd, file)] : path.split(delimiter).filter(Boolean).map((dir) => join(resolve(cwd, dir), file));
  // Every PATH entry at once (one wait instead of one per entry), then taken in PATH order.
  const found = await Promise.all(candidates.map((candidate) => stat(candidate).then((info) => !info.isDirectory(), () => false)));
  let denied = false;
  for (const [i, candidate] of candidates.entries()) {
    if (!found[i]) continue;
    if (await access(candidate, constants.X_OK).then(() => true, () => false)) return candidate;
    denied = true;
  }
  if (denied) throw new DaemonError('forbidden', `not executable: ${file}`, 'permission_denied');
  throw new DaemonError('not_found', `command not found: ${file}`, 'not_found');
}
