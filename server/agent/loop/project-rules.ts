import type { z } from 'zod';
import type { RulesFile } from '../../../protocol/chat';
import { DaemonClientError, type DaemonClient } from '../../daemon-client';

/** Bytes of rules the system prompt takes at most (about 6,000 tokens), all files together. */
export const RULES_CAP_BYTES = 24_000;
const RULES_DIR = '.slipway/rules';
const MAX_RULE_FILES = 20;

export interface ProjectRules {
  files: z.infer<typeof RulesFile>[];
  /** The rules as the system prompt carries them ('' when there are none). */
  text: string;
  /** What the cap left out, in words; null when nothing was cut. */
  cut: string | null;
}

const notFound = (error: unknown) => error instanceof DaemonClientError && error.code === 'not_found';

/**
 * The project's rules for agents: `AGENTS.md` at the workspace root, then `.slipway/rules/*.md`
 * in name order, read through the sandbox's daemon and capped at `cap` bytes together; a file
 * that does not fit is cut at a line boundary and those after it are left out, and `cut` says so.
 */
export async function readProjectRules(client: DaemonClient, cap = RULES_CAP_BYTES): Promise<ProjectRules> {
  // Three round trips at most, whatever the number of files: list and stat at once, then every read at once.
  const [listed, agents] = await Promise.all([
    client.call('fs.list', { path: RULES_DIR }).catch((error: unknown) => (notFound(error) ? { entries: [], truncated: false } : Promise.reject(error))),
    client.call('fs.stat', { path: 'AGENTS.md' }).catch((error: unknown) => (notFound(error) ? undefined : Promise.reject(error))),
  ]);
  const ruleFiles = listed.entries.filter((e) => e.type === 'file' && e.name.endsWith('.md')).sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0)).slice(0, MAX_RULE_FILES);
  const candidates = [...(agents?.type === 'file' ? [{ path: 'AGENTS.md', size: agents.size }] : []), ...ruleFiles.map((e) => ({ path: e.path, size: e.size }))];
  // Only what can fit is read: a huge file costs no more than a small one.
  const heads = await Promise.all(candidates.map((c) => (c.size ? client.readFile(c.path, { length: Math.min(c.size, cap) }) : Buffer.alloc(0))));
  const sections: string[] = [];
  const files: ProjectRules['files'] = [];
  const cuts: string[] = [];
  let budget = cap;
  candidates.forEach(({ path, size }, index) => {
    const head = heads[index]!.subarray(0, budget);
    const kept = size <= budget ? head : lineHead(head);
    // After a cut nothing else goes in: a later small file must not sit after a cut one.
    budget = kept.length < size ? 0 : budget - kept.length;
    files.push({ path, bytes: size, includedBytes: kept.length });
    if (kept.length < size) cuts.push(kept.length ? `${path}: ${size - kept.length} of ${size} bytes left out` : `${path} (${size} bytes) left out`);
    if (kept.length) sections.push(`## ${path}\n${kept.toString('utf8').trimEnd()}${kept.length < size ? `\n[${path} is cut here: the rest is over the ${cap}-byte cap on project rules]` : ''}`);
  });
  const cut = cuts.length ? `${cuts.join('; ')} (project rules are capped at ${cap} bytes)` : null;
  const text = sections.length
    ? `# Project rules\nThe project's own instructions for agents, from its files. Follow them unless the user asks otherwise.\n\n${sections.join('\n\n')}`
    : '';
  return { files, text, cut };
}

/** A cut-off head, ending at a line break when one is in its second half, and never mid-character. */
function lineHead(head: Buffer): Buffer {
  const lineEnd = head.lastIndexOf(0x0a);
  if (lineEnd >= head.length / 2) return head.subarray(0, lineEnd + 1);
  let end = head.length;
  while (end > 0 && (head[end - 1]! & 0xc0) === 0x80) end--; // continuation bytes of a cut character
  if (end > 0 && head[end - 1]! >= 0xc0) end--; // its lead byte
  return head.subarray(0, end);
}

/** Whether the rules differ from those the chat last showed (so the chat hears only of changes). */
export function rulesChanged(rules: Pick<ProjectRules, 'files' | 'cut'>, last: Pick<ProjectRules, 'files' | 'cut'> | undefined): boolean {
  if (!last) return rules.files.length > 0;
  return JSON.stringify([rules.files, rules.cut]) !== JSON.stringify([last.files, last.cut]);
}
