/** The chat input's slash commands: what each does, how a line parses, and what to complete. */

export const SLASH_COMMANDS = [
  { name: 'new', usage: '/new', description: 'Start a new chat' },
  { name: 'plan', usage: '/plan [message]', description: 'Plan mode: the agent reads and proposes a plan, changes nothing' },
  { name: 'act', usage: '/act [message]', description: 'Act mode: the agent does the work' },
  { name: 'compact', usage: '/compact', description: 'Summarise the conversation so far to free the context' },
  { name: 'checkpoint', usage: '/checkpoint [message]', description: 'Save the workspace now as a checkpoint' },
  { name: 'model', usage: '/model [name]', description: 'Choose the chat\'s model' },
] as const;

export type SlashCommandName = (typeof SLASH_COMMANDS)[number]['name'];
export type SlashCommandInfo = (typeof SLASH_COMMANDS)[number];

export type ParsedInput =
  | { kind: 'message'; text: string }
  | { kind: 'command'; name: SlashCommandName; arg: string }
  | { kind: 'unknown'; text: string; message: string };

const byName = new Map<string, SlashCommandInfo>(SLASH_COMMANDS.map((c) => [c.name, c]));

/**
 * A line of the input: a command when it starts with `/name` (then a space or the end), else a
 * message. `//text` sends `/text` as a message; a path such as `/etc/hosts …` is a message too.
 */
export function parseInput(line: string): ParsedInput {
  const text = line.trim();
  if (text.startsWith('//')) return { kind: 'message', text: text.slice(1) };
  const match = /^\/([a-z]+)(?:\s+([\s\S]*))?$/i.exec(text);
  if (!match) return { kind: 'message', text };
  const command = byName.get(match[1]!.toLowerCase());
  if (!command) return { kind: 'unknown', text, message: `Unknown command /${match[1]}. Commands: ${SLASH_COMMANDS.map((c) => `/${c.name}`).join(', ')} (start with // to send a message beginning with /).` };
  return { kind: 'command', name: command.name, arg: (match[2] ?? '').trim() };
}

/** The commands the input's text may be the start of (`/`, `/pl`…), before any space. */
export function completions(text: string): SlashCommandInfo[] {
  const match = /^\/([a-z]*)$/i.exec(text);
  if (!match) return [];
  const prefix = match[1]!.toLowerCase();
  return SLASH_COMMANDS.filter((c) => c.name.startsWith(prefix));
}

/** `/model NAME`: the option whose name (or model id) matches, exactly or as the only prefix. */
export function findModel<T extends { name: string; model: string }>(options: readonly T[], query: string): T | undefined {
  const q = query.trim().toLowerCase();
  const exact = options.find((o) => o.name.toLowerCase() === q || o.model.toLowerCase() === q);
  if (exact) return exact;
  const starts = options.filter((o) => o.name.toLowerCase().startsWith(q) || o.model.toLowerCase().startsWith(q));
  return starts.length === 1 ? starts[0] : undefined;
}
