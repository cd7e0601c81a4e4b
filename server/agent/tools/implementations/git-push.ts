import type { gitPush } from '../definitions/git-push';
import { ToolFailure, type ToolImplementation } from '../tool';
import { daemonFailure } from './git-failure';

/** Runs only after a person approved it (category `publish`), with the asking user's own credentials. */
export const runGitPush: ToolImplementation<typeof gitPush.input> = async (input, ctx) => {
  if (!ctx.requester) throw new ToolFailure('a push needs a user who asked for it; none did in this turn');
  const [credentials, author] = await Promise.all([ctx.requester.gitCredentials(), ctx.requester.identity()]);
  try {
    const result = await ctx.client.call('git.push', { credentials, author, ...(input.branch && { branch: input.branch }) }, { timeoutMs: 660_000 });
    return `Pushed.${result.output ? `\n${result.output}` : ''}`;
  } catch (error) {
    throw daemonFailure(error) ?? error;
  }
};
