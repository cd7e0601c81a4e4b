import type { AgentMode, ChatEvent, TodoItem } from '../../../protocol/chat';
import type { Message } from '../providers/provider';
import { contextText, imagesOf } from '../context/context-prompt';

/** A model message and the chat event it came from (for compaction and restores). */
export interface SeqMessage {
  seq: number;
  message: Message;
}

export const SUMMARY_PREFIX = '[Summary of the earlier conversation, written when it was compacted]\n';

/**
 * The conversation the model sees, rebuilt from a chat's events: user prompts, the agent's
 * steps and tool results. A compaction replaces everything up to it with its summary; restoring a
 * checkpoint with its conversation forgets what came after the checkpoint. Tool calls left
 * without a result (an interrupted turn) get one saying so, as both providers require.
 */
export function conversationFromEvents(events: ChatEvent[]): SeqMessage[] {
  let out: SeqMessage[] = [];
  for (const { seq, body } of events) {
    switch (body.type) {
      case 'user_message':
        out.push({ seq, message: userMessage(body) });
        break;
      case 'assistant_message':
        out.push({ seq, message: { role: 'assistant', content: body.content } });
        break;
      case 'tool_call_result':
        out.push({ seq, message: { role: 'tool', toolCallId: body.callId, content: body.output, isError: body.isError } });
        break;
      case 'compaction':
        out = [{ seq, message: { role: 'user', content: SUMMARY_PREFIX + body.summary } }, ...out.filter((m) => m.seq > body.upToSeq)];
        break;
      case 'restored':
        if (body.conversationSeq !== null) {
          const cut = body.conversationSeq;
          out = out.filter((m) => m.seq <= cut);
        }
        break;
      default:
        break;
    }
  }
  return closeDanglingCalls(out);
}

/** An act message's edited plan, as the model reads it. */
export function withPlan(text: string, plan: TodoItem[]): string {
  const steps = plan.map((item, i) => `${i + 1}. [${item.status}] ${item.content}`).join('\n');
  return `${text}\n\nThe plan to carry out, as the user approved it (they may have edited it; follow this version and keep it current with todo_write):\n${steps}`;
}

/** The mode of the chat's newest prompt: a resume or a verify round keeps the mode of what it continues. */
export function currentMode(events: ChatEvent[]): AgentMode {
  for (let i = events.length - 1; i >= 0; i--) {
    const body = events[i]!.body;
    if (body.type === 'user_message' && body.mode) return body.mode;
  }
  return 'act';
}

/** A prompt as the model reads it: the text, then the context that came with it, and its images. */
function userMessage(body: Extract<ChatEvent['body'], { type: 'user_message' }>): Message {
  const attachments = body.attachments ?? [];
  const images = imagesOf(attachments);
  const text = body.plan ? withPlan(body.text, body.plan) : body.text;
  return { role: 'user', content: text + contextText(attachments), ...(images.length && { images }) };
}

/** Adds a result for every tool call that has none, right after its assistant message's results. */
export function closeDanglingCalls(messages: SeqMessage[]): SeqMessage[] {
  const answered = new Set(messages.flatMap((m) => (m.message.role === 'tool' ? [m.message.toolCallId] : [])));
  const out: SeqMessage[] = [];
  for (let i = 0; i < messages.length; i++) {
    const entry = messages[i]!;
    out.push(entry);
    if (entry.message.role !== 'assistant') continue;
    const missing = entry.message.content.filter((p) => p.type === 'tool_call' && !answered.has(p.id));
    if (!missing.length) continue;
    // Results of this step that do exist come first.
    while (messages[i + 1]?.message.role === 'tool') out.push(messages[++i]!);
    for (const part of missing) {
      if (part.type !== 'tool_call') continue;
      out.push({ seq: entry.seq, message: { role: 'tool', toolCallId: part.id, content: 'This tool call was interrupted before it finished; its effect is unknown. Check the state before going on.', isError: true } });
    }
  }
  return out;
}
