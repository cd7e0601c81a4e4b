import { parse } from 'shell-quote';

/**
 * A command line as a user types it for a stdio MCP server, split the way a shell would (quotes and
 * backslashes keep spaces in an argument; `$NAME` stays as written, since no shell runs it), or why
 * not: pipes, redirections, globs and comments have no meaning for a process started with arguments.
 */
export function parseCommandLine(line: string): { command: string; args: string[] } | { error: string } {
  const words = parse(line.trim(), (name) => `$${name}`);
  if (words.length === 0) return { error: 'A command' };
  if (!words.every((word): word is string => typeof word === 'string')) {
    return { error: 'A command and its arguments only (quote an argument with spaces; no pipes, redirections or globs)' };
  }
  const [command, ...args] = words;
  return { command: command!, args };
}
