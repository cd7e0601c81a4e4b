import { stat } from 'node:fs/promises';
import path from 'node:path';
import { DaemonError } from '../rpc/daemon-error';
import { childEnv } from '../workspace/child-env';
import type { Workspace } from '../workspace/workspace';
import type { GitOutput, GitRun } from './run-git';
import { runGit } from './run-git';

/** Settings for every git command the daemon runs: quiet, no pager, no prompts, no colour. */
const FIXED_CONFIG = ['core.quotepath=off', 'color.ui=false', 'core.pager=cat', 'advice.detachedHead=false', 'protocol.file.allow=never', 'protocol.ext.allow=never'];

export type RunOptions = Omit<GitRun, 'args' | 'cwd' | 'env'> & { env?: Record<string, string>; config?: string[] };

/**
 * The user's repository: the workspace root, never a repository above it (GIT_CEILING_DIRECTORIES)
 * and never the checkpoint repository (GIT_DIR and friends are dropped from the environment).
 */
export class GitRepo {
  constructor(readonly ws: Workspace) {}

  async exists(): Promise<boolean> {
    return Boolean(await stat(path.join(this.ws.root, '.git')).catch(() => undefined));
  }

  async requireRepository(): Promise<void> {
    if (!(await this.exists())) throw new DaemonError('not_found', 'the workspace is not a Git repository', 'not_a_repository');
  }

  /** Runs git at the workspace root. */
  run(args: string[], options: RunOptions = {}): Promise<GitOutput> {
    const config = [...FIXED_CONFIG, ...(options.config ?? [])].flatMap((c) => ['-c', c]);
    return runGit({ ...options, args: [...config, ...args], cwd: this.ws.root, env: this.env(options.env ?? {}) });
  }

  /** Runs git and fails with its own message (for the user, not parsed) unless it exits 0. */
  async must(args: string[], options: RunOptions = {}, code: 'conflict' | 'bad_request' = 'bad_request'): Promise<GitOutput> {
    const out = await this.run(args, options);
    if (out.timedOut) throw new DaemonError('unavailable', `git ${args[0]} timed out`);
    if (out.code !== 0) throw new DaemonError(code, gitMessage(out.stderr) || `git ${args[0]} failed (exit ${out.code})`);
    return out;
  }

  /** A workspace path as git names it: relative to the root, `/`-separated, lexically inside. */
  repoPath(input: string): string {
    if (input.includes('\0')) throw new DaemonError('bad_request', 'path contains a NUL byte');
    let rel = input.replace(/\\/g, '/');
    if (rel.startsWith('/')) {
      const root = this.ws.configuredRoot.endsWith('/') ? this.ws.configuredRoot : `${this.ws.configuredRoot}/`;
      const realRoot = `${this.ws.root}/`;
      if (rel.startsWith(root)) rel = rel.slice(root.length);
      else if (rel.startsWith(realRoot)) rel = rel.slice(realRoot.length);
      else throw new DaemonError('forbidden', `path is outside the workspace: ${input}`);
    }
    const normal = path.posix.normalize(rel).replace(/\/+$/, '');
    if (normal.split('/').includes('..')) throw new DaemonError('forbidden', `path must not contain "..": ${input}`);
    if (normal === '.git' || normal.startsWith('.git/')) throw new DaemonError('forbidden', 'the repository\'s own files are not workspace changes');
    return normal === '' ? '.' : normal;
  }

  private env(extra: Record<string, string>): Record<string, string> {
    const env = childEnv(this.ws.projectEnv);
    for (const key of Object.keys(env)) if (key.startsWith('GIT_') || key === 'SSH_ASKPASS') delete env[key];
    return {
      ...env,
      LC_ALL: 'C',
      GIT_CEILING_DIRECTORIES: path.dirname(this.ws.root),
      GIT_TERMINAL_PROMPT: '0',
      GIT_OPTIONAL_LOCKS: '0',
      GIT_LITERAL_PATHSPECS: '1',
      GIT_EDITOR: 'true',
      GCM_INTERACTIVE: 'never',
      ...extra,
    };
  }
}

/** The last few meaningful lines git wrote to stderr (hints and progress left out). */
export function gitMessage(stderr: string): string {
  return stderr
    .split(/[\r\n]+/)
    .map((line) => line.trim())
    .filter((line) => line && !line.startsWith('hint:') && !/^(remote: )?(Counting|Compressing|Receiving|Resolving|Writing|Enumerating|Total|Delta|Unpacking)\b/.test(line))
    .slice(-4)
    .join('\n')
    .slice(0, 1000);
}
