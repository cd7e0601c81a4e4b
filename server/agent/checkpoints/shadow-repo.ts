import type { DaemonClient } from '../../daemon-client';

/**
 * Checkpoints live in a git repository of their own inside the sandbox, outside the workspace
 * and apart from the user's own .git: next to the workspace when its parent is writable (the
 * host runtime), else under $HOME (the container). Ignored files (the workspace's .gitignore),
 * node_modules, the daemon's temporary files and files over the size limit are not snapshotted.
 * Every command holds an exclusive flock on the repository for as long as it runs: turns of several
 * chats (or several server processes) checkpoint one at a time, and git lock files left by a killed
 * command are cleared.
 */
const SETUP = `set -e
W="$(pwd -P)"
P="$(dirname "$W")"
if [ "$P" != / ] && [ -w "$P" ]; then ROOT="$P/.slipway-checkpoints"; else ROOT="$HOME/.slipway/checkpoints"; fi
export GIT_DIR="$ROOT/$(printf %s "$W" | sha1sum | cut -c1-16)" GIT_WORK_TREE="$W"
mkdir -p "$ROOT"
exec 9>"$GIT_DIR.lock"
flock -w 100 9 || { echo "another checkpoint command held the repository for 100 s" >&2; exit 1; }
rm -f "$GIT_DIR"/*.lock
[ ! -d "$GIT_DIR/refs" ] || find "$GIT_DIR/refs" -name '*.lock' -type f -delete
export GIT_AUTHOR_NAME=Slipway GIT_AUTHOR_EMAIL=checkpoints@slipway.local GIT_COMMITTER_NAME=Slipway GIT_COMMITTER_EMAIL=checkpoints@slipway.local
export GIT_CONFIG_NOSYSTEM=1 GIT_CONFIG_GLOBAL=/dev/null GIT_TERMINAL_PROMPT=0
if [ ! -f "$GIT_DIR/HEAD" ]; then mkdir -p "$GIT_DIR"; git init -q; git config core.autocrlf false; git config core.quotepath off; git config gc.auto 0; fi
mkdir -p "$GIT_DIR/info"
{ printf '%s\\n' 'node_modules/' '.git/' '.*.slipway-*.tmp'; find . -path ./.git -prune -o -name node_modules -prune -o -type f -size +"$SLIPWAY_MAX_KB"k -print 2>/dev/null | sed 's|^\\./|/|' | head -2000; } > "$GIT_DIR/info/exclude"
# A file that vanishes while git reads the tree (another write's temporary file) fails \`add\`: look again.
n=0; until git add -A; do n=$((n + 1)); [ "$n" -lt 3 ] || exit 1; sleep 0.2; done
`;

const SNAPSHOT = `${SETUP}
if git rev-parse -q --verify HEAD >/dev/null && git diff --cached --quiet HEAD; then echo "UNCHANGED $(git rev-parse HEAD)"; exit 0; fi
git commit -q --no-verify --allow-empty -m "$SLIPWAY_MESSAGE"
echo "COMMIT $(git rev-parse HEAD)"
git diff-tree --no-commit-id --name-only -r --root HEAD | head -500
`;

const DIFF = `${SETUP}
git cat-file -e "$SLIPWAY_COMMIT^{commit}"
git diff --cached --name-only "$SLIPWAY_COMMIT" | head -1000
echo SLIPWAY_PATCH
git diff --cached "$SLIPWAY_COMMIT"
`;

const RESTORE = `${SETUP}
git cat-file -e "$SLIPWAY_COMMIT^{commit}"
git read-tree -u --reset "$SLIPWAY_COMMIT"
echo RESTORED
`;

/** Only the listed paths (one a line in $SLIPWAY_PATHS): as in the checkpoint, or removed when it lacks them. */
const RESTORE_PATHS = `${SETUP}
git cat-file -e "$SLIPWAY_COMMIT^{commit}"
printf '%s\\n' "$SLIPWAY_PATHS" | while IFS= read -r p; do
  [ -n "$p" ] || continue
  if git --literal-pathspecs cat-file -e "$SLIPWAY_COMMIT:$p" 2>/dev/null; then git --literal-pathspecs checkout "$SLIPWAY_COMMIT" -- "$p"; else git --literal-pathspecs rm -q -f --ignore-unmatch -- "$p"; rm -f -- "$p"; fi
done
echo RESTORED
`;

const MAX_FILE_KB = 2048;

export type Snapshot = { created: true; commit: string; files: string[] } | { created: false; commit: string };

async function run(client: DaemonClient, script: string, env: Record<string, string>, maxOutputBytes = 256 * 1024) {
  // Not a login shell: its `exit` would run ~/.bash_logout (Debian's fails without a console).
  const result = await client.call('exec.run', { command: ['bash', '-c', script], env: { SLIPWAY_MAX_KB: String(MAX_FILE_KB), ...env }, timeoutMs: 120_000, maxOutputBytes });
  if (result.exitCode !== 0) throw new Error(`checkpoint command failed (exit ${result.exitCode}): ${result.stderr.trim().slice(-500)}`);
  return result;
}

/** Commits the workspace as it is now, unless nothing changed since the last checkpoint. */
export async function snapshotWorkspace(client: DaemonClient, message: string): Promise<Snapshot> {
  const { stdout } = await run(client, SNAPSHOT, { SLIPWAY_MESSAGE: message });
  const [first = '', ...rest] = stdout.trim().split('\n');
  const [kind, commit = ''] = first.split(' ');
  if (kind === 'UNCHANGED') return { created: false, commit };
  if (kind !== 'COMMIT' || !/^[0-9a-f]{40}$/.test(commit)) throw new Error(`unexpected checkpoint output: ${first.slice(0, 200)}`);
  return { created: true, commit, files: rest.filter(Boolean) };
}

/** The workspace now against a checkpoint. */
export async function diffWorkspace(client: DaemonClient, commit: string, maxChars = 200_000): Promise<{ diff: string; files: string[]; truncated: boolean }> {
  const { stdout, truncated } = await run(client, DIFF, { SLIPWAY_COMMIT: commit }, 1024 * 1024);
  const marker = stdout.indexOf('SLIPWAY_PATCH\n');
  const files = stdout.slice(0, Math.max(0, marker)).split('\n').filter(Boolean);
  const diff = marker < 0 ? '' : stdout.slice(marker + 'SLIPWAY_PATCH\n'.length);
  return diff.length > maxChars ? { diff: diff.slice(0, maxChars), files, truncated: true } : { diff, files, truncated };
}

/** Makes the workspace's (non-ignored) files exactly those of the checkpoint; with `paths`, only those files. */
export async function restoreWorkspace(client: DaemonClient, commit: string, paths?: readonly string[]): Promise<void> {
  if (paths) await run(client, RESTORE_PATHS, { SLIPWAY_COMMIT: commit, SLIPWAY_PATHS: paths.join('\n') });
  else await run(client, RESTORE, { SLIPWAY_COMMIT: commit });
}
