import { z } from 'zod';
import { Uuid } from './common';
import * as G from './daemon/git';

/**
 * Source Control of a project's workspace over the extension <-> server WebSocket. The server checks
 * membership, commits as the calling user, and gives transfers only that user's own credentials.
 */
const inProject = <S extends z.ZodRawShape>(shape: S) => z.object({ projectId: Uuid, ...shape });
const ok = z.object({ ok: z.literal(true) });
const paths = z.union([inProject({ paths: z.array(z.string().min(1).max(4096)).min(1).max(5000) }), inProject({ all: z.literal(true) })]);
const transfer = { progressId: z.string().regex(/^[\w-]{1,64}$/).optional() };

export const gitWsMethods = {
  'git.status': { params: inProject({}), result: G.StatusResult },
  'git.show': { params: inProject(G.ShowParams.shape), result: G.ShowResult },
  'git.diff': { params: inProject(G.DiffParams.shape), result: G.DiffResult },
  'git.stage': { params: paths, result: ok },
  'git.unstage': { params: paths, result: ok },
  'git.discard': { params: paths, result: ok },
  'git.commit': { params: inProject({ message: z.string().max(64 * 1024), amend: z.boolean().default(false), all: z.boolean().default(false) }), result: G.CommitResult },
  'git.branches': { params: inProject({}), result: G.BranchesResult },
  'git.switch': { params: inProject(G.SwitchParams.shape), result: ok },
  /** Transfers answer when done; with a `progressId`, `git.progress` events come first. */
  'git.fetch': { params: inProject(transfer), result: G.NetworkResult },
  'git.pull': { params: inProject(transfer), result: G.NetworkResult },
  'git.push': { params: inProject({ ...transfer, branch: G.BranchName.optional(), setUpstream: z.boolean().optional() }), result: G.NetworkResult },
} as const;

export const gitWsEvents = {
  'git.progress': G.ProgressEvent.extend({ projectId: Uuid }),
} as const;
