import { collectAssistantTurn } from '../providers/assistant-turn';
import type { Message, ModelProvider } from '../providers/provider';
import { estimateMessageTokens } from '../providers/token-estimate';
import { COMPACTION_PROMPT } from './system-prompt';
import type { SeqMessage } from './conversation';

/** Compact when the prompt reaches this share of the context window. */
export const COMPACT_AT = 0.7;
/** The recent part kept verbatim, as a share of the context window. */
const KEEP_SHARE = 0.25;
const MAX_RENDERED_MESSAGE = 8000;
/** The older part must be at least this share of the window to be summarised. */
const MIN_OLDER_SHARE = 0.1;

export interface CompactionPlan {
  /** Messages to summarise (everything before the kept tail). */
  older: SeqMessage[];
  kept: SeqMessage[];
}

/**
 * Splits the conversation into an older part to summarise and a recent tail to keep, cutting only
 * before a user message or an assistant step (never between a tool call and its result).
 */
export function planCompaction(messages: SeqMessage[], contextTokens: number): CompactionPlan | undefined {
  const budget = contextTokens * KEEP_SHARE;
  let kept = 0;
  let cut = messages.length;
  for (let i = messages.length - 1; i > 0; i--) {
    kept += estimateMessageTokens(messages[i]!.message);
    if (kept > budget) break;
    if (messages[i]!.message.role !== 'tool') cut = i;
  }
  if (cut === messages.length) {
    // Even the last step is over budget: keep only from the last boundary.
    for (let i = messages.length - 1; i > 0; i--) if (messages[i]!.message.role !== 'tool') { cut = i; break; }
  }
  if (cut <= 0 || cut >= messages.length) return undefined;
  const older = messages.slice(0, cut);
  // Not worth a model call (and it would repeat every step when tools and system prompt alone are large).
  if (older.reduce((sum, m) => sum + estimateMessageTokens(m.message), 0) < contextTokens * MIN_OLDER_SHARE) return undefined;
  return { older, kept: messages.slice(cut) };
}

/** Asks the model for a summary of the older messages, rendered as a plain transcript. */
export async function summarise(provider: ModelProvider, older: SeqMessage[], signal: AbortSignal): Promise<string> {
  const transcript = older.map(({ message }) => render(message)).join('\n\n');
  const turn = await collectAssistantTurn(provider.stream({
    system: COMPACTION_PROMPT,
    messages: [{ role: 'user', content: transcript }],
    tools: [],
    maxTokens: 4000,
    signal,
  }));
  return turn.text.trim() || '(the summary came back empty)';
}

function render(message: Message): string {
  const cut = (text: string) => (text.length > MAX_RENDERED_MESSAGE ? `${text.slice(0, MAX_RENDERED_MESSAGE)} […]` : text);
  switch (message.role) {
    case 'user':
      return `USER: ${cut(message.content)}`;
    case 'tool':
      return `TOOL RESULT${message.isError ? ' (error)' : ''}: ${cut(message.content)}`;
    case 'assistant':
      return `ASSISTANT: ${message.content.map((p) => (p.type === 'text' ? p.text : `[calls ${p.name} ${cut(JSON.stringify(p.input))}]`)).join('\n')}`;
  }
}
