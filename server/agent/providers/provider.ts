import { z } from 'zod';

/**
 * The one interface between the agent and any model provider. A conversation is a list of
 * messages in this neutral shape; each provider file translates it to its own wire format and
 * translates the provider's stream back into `StreamEvent`s.
 */

export const TextPart = z.object({ type: z.literal('text'), text: z.string() });
export type TextPart = z.infer<typeof TextPart>;

export const ToolCallPart = z.object({
  type: z.literal('tool_call'),
  id: z.string().min(1),
  name: z.string().min(1),
  input: z.record(z.string(), z.unknown()),
});
export type ToolCallPart = z.infer<typeof ToolCallPart>;

/** An image the user attached (base64, type checked by protocol/chat-context.ts). */
export const ImagePart = z.object({ type: z.literal('image'), mediaType: z.enum(['image/png', 'image/jpeg', 'image/gif', 'image/webp']), data: z.string().min(1) });
export type ImagePart = z.infer<typeof ImagePart>;

/** `images` are sent only to models that accept them (see `withoutImages`). */
export const UserMessage = z.object({ role: z.literal('user'), content: z.string(), images: z.array(ImagePart).optional() });
export type UserMessage = z.infer<typeof UserMessage>;

export const AssistantMessage = z.object({
  role: z.literal('assistant'),
  content: z.array(z.discriminatedUnion('type', [TextPart, ToolCallPart])),
});
export type AssistantMessage = z.infer<typeof AssistantMessage>;

/** The result of one tool call; consecutive results answer the calls of one assistant turn. */
export const ToolResultMessage = z.object({
  role: z.literal('tool'),
  toolCallId: z.string().min(1),
  content: z.string(),
  isError: z.boolean().optional(),
});
export type ToolResultMessage = z.infer<typeof ToolResultMessage>;

export const Message = z.discriminatedUnion('role', [UserMessage, AssistantMessage, ToolResultMessage]);
export type Message = z.infer<typeof Message>;

/** A JSON Schema for a tool's input: always an object schema (both providers require it). */
export const ToolInputSchema = z.looseObject({ type: z.literal('object') });
export type ToolInputSchema = z.infer<typeof ToolInputSchema>;

export const ToolDefinition = z.object({
  name: z.string().regex(/^[a-zA-Z0-9_-]{1,64}$/, 'tool names are 1-64 letters, digits, _ or -'),
  description: z.string(),
  inputSchema: ToolInputSchema,
});
export type ToolDefinition = z.infer<typeof ToolDefinition>;

export interface ModelRequest {
  /** Overrides the provider's configured model for this request. */
  model?: string;
  system: string;
  messages: Message[];
  tools: ToolDefinition[];
  maxTokens: number;
  signal?: AbortSignal;
}

/**
 * Why the model stopped. `context_window` means the context filled up before `maxTokens`
 * (time to compact); `other` covers provider-specific reasons with no agent meaning.
 */
export const StopReason = z.enum(['end_turn', 'tool_use', 'max_tokens', 'stop_sequence', 'refusal', 'context_window', 'other']);
export type StopReason = z.infer<typeof StopReason>;

/**
 * Token counts of one model turn. `inputTokens` is the whole prompt, cached parts included;
 * `cacheReadTokens` and `cacheWriteTokens` say how much of it was read from / written to the cache.
 */
export const TokenUsage = z.object({
  inputTokens: z.number().int().min(0),
  outputTokens: z.number().int().min(0),
  cacheReadTokens: z.number().int().min(0),
  cacheWriteTokens: z.number().int().min(0),
});
export type TokenUsage = z.infer<typeof TokenUsage>;

export const StreamEvent = z.discriminatedUnion('type', [
  z.object({ type: z.literal('text_delta'), text: z.string() }),
  z.object({ type: z.literal('tool_call_start'), id: z.string(), name: z.string() }),
  z.object({ type: z.literal('tool_call_delta'), id: z.string(), inputDelta: z.string() }),
  z.object({
    type: z.literal('tool_call_done'),
    id: z.string(),
    name: z.string(),
    input: z.record(z.string(), z.unknown()),
    /** Set when the streamed arguments were not a JSON object; `input` is then `{}`. */
    inputError: z.string().optional(),
  }),
  z.object({ type: z.literal('usage'), usage: TokenUsage }),
  z.object({ type: z.literal('stop'), reason: StopReason }),
]);
export type StreamEvent = z.infer<typeof StreamEvent>;

/**
 * A model provider. `stream` yields text and tool-call events as they arrive, then at most one
 * `usage` event and exactly one `stop` event, last. Failures are thrown as `ProviderError`.
 */
export interface ModelProvider {
  /** The registry kind, e.g. `openai`. */
  readonly kind: string;
  /** The model used when a request names none. */
  readonly model: string;
  stream(request: ModelRequest): AsyncIterable<StreamEvent>;
}
