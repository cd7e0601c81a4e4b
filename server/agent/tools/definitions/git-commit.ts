import { z } from 'zod';
import { defineTool } from '../tool';

export const gitCommit = defineTool({
  name: 'git_commit',
  description:
    'Commit changes to the project\'s own Git repository (the workspace\'s .git), only when the user asked for a commit. ' +
    'Stages the given paths (default: every change, new files included) and commits them with the message; the commit is by the ' +
    'Slipway agent with the user who asked as co-author. Never pushes (use git_push, which asks the user).',
  category: 'write',
  input: z.object({
    message: z.string().trim().min(1).max(10_000).describe('Commit message: a short summary line, optionally a blank line and a body'),
    paths: z.array(z.string().min(1).max(4096)).max(1000).optional().describe('Workspace paths to stage; all changes when absent'),
  }).strict(),
  summarize: (input) => `git commit: ${input.message.split('\n')[0]}`,
});
