import type { gitCommit } from '../definitions/git-commit';
import { ToolFailure, type ToolImplementation } from '../tool';
import { daemonFailure } from './git-failure';

/** The agent commits as itself; the user who asked is its co-author. */
export const AGENT_AUTHOR = { name: 'Slipway Agent', email: 'agent@slipway.local' };

export const runGitCommit: ToolImplementation<typeof gitCommit.input> = async (input, ctx) => {
  const coAuthors = ctx.requester ? [await ctx.requester.identity()] : [];
  try {
    await ctx.client.call('git.stage', input.paths ? { paths: input.paths } : { all: true });
    const made = await ctx.client.call('git.commit', { message: input.message, author: AGENT_AUTHOR, coAuthors });
    return `Committed ${made.oid.slice(0, 12)} "${made.summary}"${coAuthors.length ? ` (co-authored by ${coAuthors[0]!.name})` : ''}.`;
  } catch (error) {
    throw daemonFailure(error) ?? error;
  }
};

