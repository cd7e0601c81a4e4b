import type { AssistantMessage, StopReason, StreamEvent, TokenUsage } from './provider';

type ToolCallDone = Extract<StreamEvent, { type: 'tool_call_done' }>;

/** A whole model turn, assembled from its stream. */
export interface AssistantTurn {
  /** The turn as a message to append to the conversation. */
  message: AssistantMessage;
  text: string;
  toolCalls: ToolCallDone[];
  usage: TokenUsage | undefined;
  stop: StopReason | undefined;
  /** Every event, in order. */
  events: StreamEvent[];
}

/** Reads a provider stream to its end; errors propagate. */
export async function collectAssistantTurn(stream: AsyncIterable<StreamEvent>): Promise<AssistantTurn> {
  const events: StreamEvent[] = [];
  const content: AssistantMessage['content'] = [];
  const toolCalls: ToolCallDone[] = [];
  let usage: TokenUsage | undefined;
  let stop: StopReason | undefined;
  for await (const event of stream) {
    events.push(event);
    switch (event.type) {
      case 'text_delta': {
        const last = content.at(-1);
        if (last?.type === 'text') last.text += event.text;
        else content.push({ type: 'text', text: event.text });
        break;
      }
      case 'tool_call_done':
        toolCalls.push(event);
        content.push({ type: 'tool_call', id: event.id, name: event.name, input: event.input });
        break;
      case 'usage':
        usage = event.usage;
        break;
      case 'stop':
        stop = event.reason;
        break;
    }
  }
  const text = content.flatMap((part) => (part.type === 'text' ? [part.text] : [])).join('');
  return { message: { role: 'assistant', content }, text, toolCalls, usage, stop, events };
}
