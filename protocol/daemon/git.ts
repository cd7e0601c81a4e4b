import { z } from 'zod';
import { WorkspacePath } from './paths';

/**
 * The git capability of the sandbox daemon: the user's own repository in the workspace (never the
 * agent's checkpoint repository, which lives outside it). Every answer comes from git's
 * machine-readable output (porcelain v2, `-z`, for-each-ref formats), never from its prose.
 */

/** One side of a change: git's XY letter (`.` unchanged, M, T, A, D, R, C, U, `?` untracked). */
export const ChangeCode = z.enum(['.', 'M', 'T', 'A', 'D', 'R', 'C', 'U', '?', '!']);
export type ChangeCode = z.infer<typeof ChangeCode>;

export const FileChange = z.object({
  path: z.string(),
  /** For renames and copies: where it came from. */
  origPath: z.string().nullable(),
  /** In the index against HEAD (staged). */
  index: ChangeCode,
  /** In the working tree against the index (not staged). */
  worktree: ChangeCode,
  /** An unmerged path (merge conflict). */
  conflict: z.boolean(),
});
export type FileChange = z.infer<typeof FileChange>;

export const BranchState = z.object({
  /** The branch checked out; null when HEAD is detached. */
  head: z.string().nullable(),
  /** The commit HEAD points at; null on an unborn branch (no commits yet). */
  oid: z.string().nullable(),
  upstream: z.string().nullable(),
  ahead: z.number().int(),
  behind: z.number().int(),
});
export type BranchState = z.infer<typeof BranchState>;

export const StatusResult = z.discriminatedUnion('repository', [
  z.object({ repository: z.literal(false) }),
  z.object({ repository: z.literal(true), branch: BranchState, changes: z.array(FileChange), truncated: z.boolean() }),
]);
export type StatusResult = z.infer<typeof StatusResult>;

const Paths = z.array(WorkspacePath).min(1).max(5000);
/** Either some paths or everything. */
export const PathsParams = z.union([z.object({ paths: Paths }), z.object({ all: z.literal(true) })]);
export type PathsParams = z.infer<typeof PathsParams>;

export const MAX_SHOW_BYTES = 4 * 1024 * 1024;
/** A file as it is in HEAD (`ref: 'HEAD'`) or in the index (`ref: 'index'`). */
export const ShowParams = z.object({ path: WorkspacePath, ref: z.enum(['HEAD', 'index']).default('HEAD') });
export const ShowResult = z.object({
  exists: z.boolean(),
  /** The bytes, base64; empty when missing or larger than MAX_SHOW_BYTES (`tooLarge`). */
  base64: z.string(),
  size: z.number().int().nonnegative(),
  tooLarge: z.boolean(),
});
export type ShowResult = z.infer<typeof ShowResult>;

export const DiffParams = z.object({
  path: WorkspacePath.optional(),
  /** The index against HEAD instead of the working tree against the index. */
  staged: z.boolean().default(false),
  maxBytes: z.number().int().min(1).max(4 * 1024 * 1024).default(512 * 1024),
});
export const DiffResult = z.object({ diff: z.string(), truncated: z.boolean() });

export const Person = z.object({ name: z.string().trim().min(1).max(200), email: z.string().trim().min(3).max(320) });
export type Person = z.infer<typeof Person>;

export const CommitParams = z.object({
  message: z.string().max(64 * 1024),
  amend: z.boolean().default(false),
  /** Stage every tracked change first (`commit -a`), as VS Code's "commit all" does with nothing staged. */
  all: z.boolean().default(false),
  author: Person,
  /** Added as `Co-authored-by:` trailers. */
  coAuthors: z.array(Person).max(20).default([]),
});
export const CommitResult = z.object({ oid: z.string(), summary: z.string() });

export const Branch = z.object({
  name: z.string(),
  /** refs/heads (local) or refs/remotes (remote-tracking). */
  remote: z.boolean(),
  oid: z.string(),
  upstream: z.string().nullable(),
  current: z.boolean(),
});
export type Branch = z.infer<typeof Branch>;
export const BranchesResult = z.object({ branches: z.array(Branch) });

/** A git ref name as a user types it; git itself validates the rest (`check-ref-format`). */
export const BranchName = z.string().min(1).max(250).regex(/^[^-\s~^:?*[\\][^\s~^:?*[\\]*$/, 'not a valid branch name');
export const SwitchParams = z.object({
  branch: BranchName,
  /** Create it (from `startPoint`, default HEAD). */
  create: z.boolean().default(false),
  startPoint: BranchName.optional(),
});

/**
 * What a network operation may authenticate with, for the one user who asked: given by the server
 * per call, kept by the daemon only while that git process runs, and handed to it through a
 * credential helper that presents a one-time grant (never through the environment or a file in
 * the workspace).
 */
export const GitCredentials = z.object({
  /** HTTPS: one token per host (`host` as git names it, e.g. `github.com` or `git.local:8080`). */
  https: z.array(z.object({ host: z.string().min(1).max(300), username: z.string().min(1).max(200), password: z.string().min(1).max(4096) })).max(20).default([]),
  /** SSH: the user's private key (OpenSSH format). */
  sshKey: z.string().max(16 * 1024).optional(),
});
export type GitCredentials = z.input<typeof GitCredentials>;

/** HTTPS, HTTP, SSH (`ssh://` or `user@host:path`); never local paths, `file://` or `ext::`. */
export const RemoteUrl = z.string().trim().min(1).max(2048).refine(
  (url) => /^(https?|ssh):\/\/[^\s/]+\/\S+$/i.test(url) || /^[A-Za-z0-9._-]+@[A-Za-z0-9.-]+:(?!\/\/)\S+$/.test(url),
  'a Git URL: https://host/owner/repo.git or git@host:owner/repo.git',
);

const network = {
  credentials: GitCredentials.default({ https: [] }),
  /** With a stream: `git.progress` events carry this id. */
  progressId: z.string().regex(/^[\w-]{1,64}$/).optional(),
  timeoutMs: z.number().int().min(1000).max(3_600_000).default(600_000),
  /** Who a merge commit made by `pull` is by. */
  author: Person.optional(),
};
export const FetchParams = z.object({ ...network, remote: z.string().regex(/^[\w.-]{1,100}$/).optional() });
export const PullParams = FetchParams;
export const PushParams = z.object({
  ...network,
  remote: z.string().regex(/^[\w.-]{1,100}$/).optional(),
  /** Default: the current branch. */
  branch: BranchName.optional(),
  /** Record the remote branch as the upstream (`push -u`); default when there is none yet. */
  setUpstream: z.boolean().optional(),
});
export const CloneParams = z.object({ ...network, url: RemoteUrl, branch: BranchName.optional() });
export const NetworkResult = z.object({ ok: z.literal(true), output: z.string() });

export const ProgressEvent = z.object({ progressId: z.string(), text: z.string(), percent: z.number().min(0).max(100).nullable() });
