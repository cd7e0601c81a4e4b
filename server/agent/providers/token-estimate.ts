import type { Message, ModelRequest, ToolDefinition } from './provider';

/**
 * A cheap, provider-independent token estimate for context management: deciding when to
 * compact, not billing. Latin text runs about 4 characters a token; other scripts (CJK, …)
 * closer to one or two characters a token, so they count more. Each message and tool adds a
 * small fixed overhead for the role / framing tokens the providers add.
 */
export const MESSAGE_OVERHEAD = 4;
export const TOOL_OVERHEAD = 8;
/** An image as both providers bill one of the sizes the webview sends (about 1.15 megapixels at most). */
export const IMAGE_TOKENS = 1600;

export function estimateTextTokens(text: string): number {
  let ascii = 0;
  let other = 0;
  for (const char of text) {
    if (char.charCodeAt(0) < 128) ascii++;
    else other++;
  }
  return Math.ceil(ascii / 4 + other / 1.5);
}

export function estimateMessageTokens(message: Message): number {
  switch (message.role) {
    case 'user':
      return MESSAGE_OVERHEAD + estimateTextTokens(message.content) + (message.images?.length ?? 0) * IMAGE_TOKENS;
    case 'tool':
      return MESSAGE_OVERHEAD + estimateTextTokens(message.content);
    case 'assistant':
      return message.content.reduce(
        (sum, part) =>
          sum + (part.type === 'text' ? estimateTextTokens(part.text) : TOOL_OVERHEAD + estimateTextTokens(part.name + JSON.stringify(part.input))),
        MESSAGE_OVERHEAD,
      );
  }
}

export function estimateToolTokens(tool: ToolDefinition): number {
  return TOOL_OVERHEAD + estimateTextTokens(tool.name + tool.description + JSON.stringify(tool.inputSchema));
}

/** The whole prompt of a request: system prompt, tool definitions and messages. */
export function estimateRequestTokens(request: Pick<ModelRequest, 'system' | 'messages' | 'tools'>): number {
  return (
    MESSAGE_OVERHEAD +
    estimateTextTokens(request.system) +
    request.tools.reduce((sum, tool) => sum + estimateToolTokens(tool), 0) +
    request.messages.reduce((sum, message) => sum + estimateMessageTokens(message), 0)
  );
}
