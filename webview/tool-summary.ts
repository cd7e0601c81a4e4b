/**
 * A line a person reads for each tool call of the agent: "Read src/app.ts lines 1–40",
 * "Ran `npm test` → exit 1". The raw input and output stay one click away in the card.
 */

type Input = Record<string, unknown>;

const str = (value: unknown): string => (typeof value === 'string' ? value : '');
const num = (value: unknown): number | undefined => (typeof value === 'number' && Number.isFinite(value) ? value : undefined);
const short = (text: string, max = 60): string => {
  const line = text.replace(/\s+/g, ' ').trim();
  return line.length > max ? `${line.slice(0, max - 1)}…` : line;
};
const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;
const lines = (text: string): number => (text ? text.split('\n').length - (text.endsWith('\n') ? 1 : 0) : 0);

function parse(input: string): Input {
  try {
    const value: unknown = JSON.parse(input);
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Input) : {};
  } catch {
    return {};
  }
}

/** "exit 1" from a command's output ("Exit code 1." as the runner reports it), if there. */
function exitOf(output: string | null): string {
  const match = output && /Exit code (-?\d+)\.|Killed by ([\w ]+)\./.exec(output);
  if (!match) return '';
  return match[1] !== undefined ? `exit ${match[1]}` : `killed by ${match[2]}`;
}

const SUMMARIES: Record<string, (input: Input, output: string | null) => string> = {
  read_file: (i) => {
    const offset = num(i.offset);
    const limit = num(i.limit);
    const range = offset || limit ? ` lines ${offset ?? 1}–${(offset ?? 1) + (limit ?? 2000) - 1}` : '';
    return `Read ${str(i.path)}${range}`;
  },
  write_file: (i) => `Wrote ${str(i.path)} (${plural(lines(str(i.content)), 'line')})`,
  edit_file: (i) => `Edited ${str(i.path)}${Array.isArray(i.edits) ? ` (${plural(i.edits.length, 'change')})` : ''}`,
  list_files: (i) => `Listed ${str(i.path) || '.'}${str(i.pattern) ? ` (${str(i.pattern)})` : ''}`,
  grep: (i) => `Searched for "${short(str(i.pattern), 40)}"${str(i.path) && str(i.path) !== '.' ? ` in ${str(i.path)}` : ''}`,
  run_command: (i, output) => {
    const verb = i.background === true ? 'Started' : 'Ran';
    const exit = i.background === true ? '' : exitOf(output);
    return `${verb} \`${short(str(i.command))}\`${exit ? ` → ${exit}` : ''}`;
  },
  shell: (i, output) => {
    const exit = exitOf(output);
    return `Ran \`${short(str(i.command))}\`${exit ? ` → ${exit}` : ''}`;
  },
  read_output: (i) => `Read the output of ${str(i.process_id)}`,
  kill_process: (i) => `Stopped ${str(i.process_id)}`,
  fetch_url: (i) => `Fetched ${short(str(i.url))}`,
  project_info: () => 'Looked at the project',
  todo_write: (i) => `Updated the plan${Array.isArray(i.todos) ? ` (${plural(i.todos.length, 'step')})` : ''}`,
};

/** The human line for a call; unknown tools get their name and the most telling argument. */
export function toolSummary(name: string, input: string, output: string | null): string {
  const line = describe(name, input, output);
  // The dispatcher refused it (server/agent/tools/mode-policy.ts): it did not happen.
  return output && /^\S+ is not available in plan mode/.test(output) ? `Not run in plan mode: ${line}` : line;
}

function describe(name: string, input: string, output: string | null): string {
  const parsed = parse(input);
  const known = SUMMARIES[name];
  if (known) return known(parsed, output);
  // An MCP server's tool (`server__tool`): "server › tool" and its first short text argument.
  const mcp = /^([A-Za-z0-9][A-Za-z0-9-]*)__(.+)$/.exec(name);
  if (mcp) {
    const first = Object.values(parsed).find((value) => typeof value === 'string');
    return `${mcp[1]} › ${mcp[2]}${first ? ` ${short(str(first))}` : ''}`;
  }
  const brief = str(parsed.path ?? parsed.command ?? parsed.url ?? parsed.pattern);
  return brief ? `${name} ${short(brief)}` : name;
}

/** `12 ms`, `3.2 s`, `2 min 5 s`. */
export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  return `${Math.floor(ms / 60_000)} min ${Math.round((ms % 60_000) / 1000)} s`;
}

/** The end of a long output: the last `keep` lines, and how many were left out. */
export function outputTail(output: string, keep = 12): { tail: string; hidden: number } {
  const all = output.split('\n');
  if (all.length <= keep + 3) return { tail: output, hidden: 0 };
  return { tail: all.slice(-keep).join('\n'), hidden: all.length - keep };
}

/** Pretty-printed input for the details. */
export function prettyInput(input: string): string {
  try {
    return JSON.stringify(JSON.parse(input), null, 2);
  } catch {
    return input;
  }
}
