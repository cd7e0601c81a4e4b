import { readdir, rm } from 'node:fs/promises';
import path from 'node:path';
import type { DaemonParams } from '../../../protocol/daemon/methods';
import { MAX_SHOW_BYTES } from '../../../protocol/daemon/git';
import type { FileChange, PathsParams, Person } from '../../../protocol/daemon/git';
import { DaemonError } from '../rpc/daemon-error';
import type { CallContext, HandlersFor } from '../rpc/handler';
import type { Workspace } from '../workspace/workspace';
import type { CredentialGrants } from './credential-grants';
import { GitRepo } from './git-repo';
import { networkFailure } from './network-errors';
import { parseStatus } from './porcelain-status';

const MAX_CHANGES = 5000;
const ok = { ok: true as const };

const identity = (who: Person | undefined): Record<string, string> =>
  who ? { GIT_AUTHOR_NAME: who.name, GIT_AUTHOR_EMAIL: who.email, GIT_COMMITTER_NAME: who.name, GIT_COMMITTER_EMAIL: who.email } : {};

type NetworkParams = DaemonParams<'git.fetch'>;

export function gitHandlers(ws: Workspace, grants: CredentialGrants): HandlersFor<'git'> {
  const repo = new GitRepo(ws);

  const status = async () => {
    const out = await repo.must(['status', '--porcelain=v2', '--branch', '-z', '--untracked-files=all'], { maxStdout: 16 * 1024 * 1024 });
    const parsed = parseStatus(out.stdout.toString('utf8'));
    return { ...parsed, changes: parsed.changes.slice(0, MAX_CHANGES), truncated: out.truncated || parsed.changes.length > MAX_CHANGES };
  };
  const hasHead = async () => (await repo.run(['rev-parse', '-q', '--verify', 'HEAD^{commit}'])).code === 0;
  const paths = (params: PathsParams): string[] | null => ('all' in params ? null : params.paths.map((p) => repo.repoPath(p)));

  /** Runs a transfer with a one-time credential grant, relaying its progress to the caller's stream. */
  const transfer = async (what: string, args: string[], params: NetworkParams, ctx: CallContext) => {
    const grant = await grants.issue(params.credentials);
    try {
      const out = await repo.run(args, {
        // No repository hooks or fsmonitor while a grant is live.
        config: [...grant.config, 'core.hooksPath=/dev/null', 'core.fsmonitor=false'],
        env: { ...grant.env, ...identity(params.author) },
        timeoutMs: params.timeoutMs,
        onStderrLine: params.progressId && ctx.stream ? progressRelay(params.progressId, ctx) : undefined,
      });
      if (out.code !== 0 || out.timedOut) throw networkFailure(what, out);
      return { ok: true as const, output: out.stderr.split(/[\r\n]+/).filter((l) => l.trim() && !/\d+%/.test(l)).slice(-10).join('\n').slice(0, 2000) };
    } finally {
      await grant.revoke();
    }
  };

  return {
    'git.status': async () => {
      if (!(await repo.exists())) return { repository: false as const };
      return { repository: true as const, ...(await status()) };
    },
    'git.show': async ({ path: file, ref }) => {
      await repo.requireRepository();
      const name = `${ref === 'HEAD' ? 'HEAD' : ''}:${repo.repoPath(file)}`;
      const check = await repo.run(['cat-file', '--batch-check=%(objectname) %(objecttype) %(objectsize)'], { stdin: `${name}\n` });
      const [oid, type, size] = check.stdout.toString('utf8').trim().split(' ');
      if (check.code !== 0 || type !== 'blob' || !oid) return { exists: false, base64: '', size: 0, tooLarge: false };
      const bytes = Number(size);
      if (bytes > MAX_SHOW_BYTES) return { exists: true, base64: '', size: bytes, tooLarge: true };
      const blob = await repo.must(['cat-file', 'blob', oid]);
      return { exists: true, base64: blob.stdout.toString('base64'), size: bytes, tooLarge: false };
    },
    'git.diff': async ({ path: file, staged, maxBytes }) => {
      await repo.requireRepository();
      const args = ['diff', '--no-color', '--no-ext-diff', ...(staged ? ['--cached'] : []), ...(file ? ['--', repo.repoPath(file)] : [])];
      const out = await repo.must(args, { maxStdout: maxBytes });
      return { diff: out.stdout.toString('utf8'), truncated: out.truncated };
    },
    'git.stage': async (params) => {
      await repo.requireRepository();
      const list = paths(params);
      await repo.must(['add', '-A', '--', ...(list ?? ['.'])]);
      return ok;
    },
    'git.unstage': async (params) => {
      await repo.requireRepository();
      const list = paths(params) ?? ['.'];
      if (await hasHead()) await repo.must(['reset', '-q', '--', ...list]);
      else await repo.must(['rm', '-r', '-q', '--cached', '--ignore-unmatch', '--', ...list]);
      return ok;
    },
    'git.discard': async (params) => {
      await repo.requireRepository();
      const list = paths(params);
      const { changes } = await status();
      const chosen = (c: FileChange) => !list || list.some((p) => p === '.' || c.path === p || c.path.startsWith(`${p}/`));
      const untracked = changes.filter((c) => c.worktree === '?' && chosen(c)).map((c) => c.path);
      const tracked = changes.filter((c) => c.worktree !== '?' && c.worktree !== '.' && chosen(c)).map((c) => c.path);
      if (tracked.length) await repo.must(['restore', '--worktree', '--', ...tracked]);
      if (untracked.length) await repo.must(['clean', '-f', '-q', '--', ...untracked]);
      return ok;
    },
    'git.commit': async ({ message, amend, all, author, coAuthors }) => {
      await repo.requireRepository();
      if (!message.trim() && !amend) throw new DaemonError('bad_request', 'a commit needs a message');
      if (amend && !(await hasHead())) throw new DaemonError('conflict', 'there is no commit to amend yet');
      const args = ['commit', '--cleanup=strip', ...(amend ? ['--amend'] : []), ...(all ? ['-a'] : [])];
      args.push(...(message.trim() ? ['-F', '-'] : ['--no-edit']));
      for (const co of coAuthors) args.push('--trailer', `Co-authored-by: ${co.name} <${co.email}>`);
      const out = await repo.run(args, { stdin: message.trim() ? message : undefined, env: identity(author), timeoutMs: 120_000 });
      if (out.code !== 0) {
        const staged = await repo.run(['diff', '--cached', '--quiet']);
        if (!amend && staged.code === 0 && !all) throw new DaemonError('conflict', 'nothing is staged to commit', 'nothing_to_commit');
        const text = `${out.stderr}\n${out.stdout.toString('utf8')}`;
        throw new DaemonError('conflict', text.trim().split('\n').slice(-4).join('\n').slice(0, 1000) || 'git commit failed');
      }
      const head = await repo.must(['log', '-1', '-z', '--format=%H%x00%s']);
      const [oid = '', summary = ''] = head.stdout.toString('utf8').split('\0');
      return { oid, summary };
    },
    'git.branches': async () => {
      await repo.requireRepository();
      const out = await repo.must(['for-each-ref', '--format=%(refname)%00%(objectname)%00%(upstream:short)%00%(HEAD)%00%(symref)', 'refs/heads', 'refs/remotes']);
      const branches = out.stdout.toString('utf8').split('\n').filter(Boolean).flatMap((line) => {
        const [ref = '', oid = '', upstream = '', head = '', symref = ''] = line.split('\0');
        if (symref) return [];
        const remote = ref.startsWith('refs/remotes/');
        return [{ name: ref.replace(/^refs\/(heads|remotes)\//, ''), remote, oid, upstream: upstream || null, current: head === '*' }];
      });
      return { branches };
    },
    'git.switch': async ({ branch, create, startPoint }) => {
      await repo.requireRepository();
      await repo.must(['check-ref-format', '--branch', branch]);
      await repo.must(['switch', ...(create ? ['-c', branch, ...(startPoint ? [startPoint] : [])] : [branch])], { timeoutMs: 120_000 }, 'conflict');
      return ok;
    },
    'git.fetch': async (params, ctx) => {
      await repo.requireRepository();
      return transfer('fetch', ['fetch', '--progress', '--prune', ...(params.remote ? [params.remote] : [])], params, ctx);
    },
    'git.pull': async (params, ctx) => {
      await repo.requireRepository();
      return transfer('pull', ['pull', '--progress', '--no-rebase', ...(params.remote ? [params.remote] : [])], params, ctx);
    },
    'git.push': async (params, ctx) => {
      await repo.requireRepository();
      const { branch } = await status();
      const name = params.branch ?? branch.head;
      if (!name) throw new DaemonError('conflict', 'HEAD is detached: switch to a branch to push it');
      const remote = params.remote ?? (branch.upstream && params.branch === undefined ? branch.upstream.split('/')[0]! : 'origin');
      const upstream = params.setUpstream ?? !branch.upstream;
      return transfer('push', ['push', '--progress', '--porcelain', ...(upstream ? ['-u'] : []), '--', remote, `refs/heads/${name}`], params, ctx);
    },
    'git.clone': async (params, ctx) => {
      const present = await readdir(ws.root);
      if (present.length > 0) throw new DaemonError('conflict', 'the workspace is not empty; a repository can only be cloned into an empty one');
      try {
        return await transfer('clone', ['clone', '--progress', '--no-recurse-submodules', ...(params.branch ? ['--branch', params.branch] : []), '--', params.url, '.'], params, ctx);
      } catch (error) {
        // A failed clone leaves nothing half-made behind.
        for (const name of await readdir(ws.root)) await rm(path.join(ws.root, name), { recursive: true, force: true });
        throw error;
      }
    },
  };
}

/** Git's progress lines (`Receiving objects:  45% (9/20)`) as `git.progress` events, at most every 100 ms. */
function progressRelay(progressId: string, ctx: CallContext): (line: string) => void {
  let last = 0;
  return (line) => {
    const now = Date.now();
    const percent = /(\d{1,3})%/.exec(line);
    if (now - last < 100 && !/done/.test(line)) return;
    last = now;
    ctx.stream?.send('git.progress', { progressId, text: line.trim().slice(0, 200), percent: percent ? Math.min(100, Number(percent[1])) : null });
  };
}
