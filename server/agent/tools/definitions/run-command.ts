import { z } from 'zod';
import { defineTool } from '../tool';

export const runCommand = defineTool({
  name: 'run_command',
  description:
    'Run a shell command (bash) in the sandbox, in the workspace or a subdirectory. In the foreground it waits for the command to finish ' +
    '(or its timeout) and returns exit code and output; long output is cut and can be read with read_output. ' +
    'With background: true it starts a long-running process (dev server, watcher) and returns as soon as `wait_for_port` is listening, ' +
    '`wait_for_pattern` appears in its output, or it exits; the process keeps running (stop it with kill_process).',
  category: 'execute',
  input: z.object({
    command: z.string().min(1).max(100_000),
    cwd: z.string().max(4096).default('.').describe('Directory relative to the workspace root'),
    timeout_seconds: z.number().int().min(1).max(3600).default(120).describe('Foreground: kill after this long. Background: how long to wait for readiness (default 30)'),
    background: z.boolean().default(false),
    wait_for_port: z.number().int().min(1).max(65535).optional().describe('Background: return once this TCP port listens'),
    wait_for_pattern: z.string().max(1000).optional().describe('Background: return once the output matches this regular expression'),
  }).strict(),
  summarize: (input) => `${input.background ? 'start in the background' : 'run'}: ${input.command}${input.cwd !== '.' ? ` (in ${input.cwd})` : ''}`,
});
