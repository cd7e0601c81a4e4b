import { DaemonError } from '../rpc/daemon-error';
import type { GitOutput } from './run-git';
import { gitMessage } from './git-repo';

/**
 * Git reports why a transfer failed only in words (LC_ALL=C keeps them English); these are the
 * outcomes a user acts on differently. Anything else carries git's own last lines.
 */
const AUTH = /Authentication failed|could not read (Username|Password)|terminal prompts disabled|Permission denied \(publickey|Access denied|returned error: 40[13]|Invalid username or password|Host key verification failed/i;
const MISSING = /Repository not found|does not appear to be a git repository|returned error: 404|repository '[^']*' not found|Remote branch .* not found|couldn't find remote ref/i;
const UNREACHABLE = /Could not resolve host|Failed to connect|Connection refused|Connection timed out|Network is unreachable|No route to host|Could not resolve hostname/i;
const REJECTED = /\[rejected\]|non-fast-forward|fetch first|Not possible to fast-forward|divergent branches/i;

export function networkFailure(what: string, out: GitOutput): DaemonError {
  const detail = gitMessage(out.stderr);
  if (out.timedOut) return new DaemonError('bad_request', `${what} timed out`);
  if (AUTH.test(out.stderr)) {
    return new DaemonError('forbidden', `${what}: authentication failed. Set a personal access token for this host (Slipway: Set Git Token) or add your SSH key (Slipway: Show SSH Public Key) to the Git host.`, 'git_auth_failed');
  }
  if (MISSING.test(out.stderr)) return new DaemonError('not_found', `${what}: the repository or branch was not found (or you have no access to it)`, 'git_repository_not_found');
  if (UNREACHABLE.test(out.stderr)) return new DaemonError('bad_request', `${what}: the Git host cannot be reached from the sandbox`, 'git_host_unreachable');
  if (REJECTED.test(out.stderr)) return new DaemonError('conflict', `${what}: the remote has commits you do not have; pull first\n${detail}`, 'git_rejected');
  return new DaemonError('bad_request', `${what} failed: ${detail || `exit ${out.code}`}`);
}
