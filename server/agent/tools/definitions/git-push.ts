import { z } from 'zod';
import { defineTool } from '../tool';

export const gitPush = defineTool({
  name: 'git_push',
  description:
    'Push the current branch (or the one named) of the project\'s Git repository to its remote, with the asking user\'s own credentials. ' +
    'Every push waits for a person\'s approval. Do not push through shell or run_command: there, git has no credentials.',
  category: 'publish',
  input: z.object({
    branch: z.string().min(1).max(250).regex(/^[^-\s~^:?*[\\][^\s~^:?*[\\]*$/).optional().describe('Default: the current branch'),
  }).strict(),
  summarize: (input) => `git push${input.branch ? ` ${input.branch}` : ' (current branch)'} to the remote`,
});
