import type {
  ChatCompletionCreateParamsStreaming,
  ChatCompletionMessageParam,
  ChatCompletionTool,
} from 'openai/resources/chat/completions';
import type { AssistantMessage, Message, ModelRequest, ToolDefinition } from './provider';

/** Which body field carries the output limit: OpenAI's own API wants the newer name. */
export type MaxTokensField = 'max_tokens' | 'max_completion_tokens';

/** Translates a neutral request into a streaming Chat Completions body. */
export function chatCompletionBody(
  request: ModelRequest,
  model: string,
  maxTokensField: MaxTokensField,
): ChatCompletionCreateParamsStreaming {
  const messages: ChatCompletionMessageParam[] = [];
  if (request.system) messages.push({ role: 'system', content: request.system });
  for (const message of request.messages) messages.push(chatMessage(message));
  const body: ChatCompletionCreateParamsStreaming = {
    model,
    messages,
    stream: true,
    stream_options: { include_usage: true },
    [maxTokensField]: request.maxTokens,
  };
  if (request.tools.length > 0) body.tools = request.tools.map(chatTool);
  return body;
}

function chatMessage(message: Message): ChatCompletionMessageParam {
  switch (message.role) {
    case 'user':
      if (!message.images?.length) return { role: 'user', content: message.content };
      // Chat Completions content parts: the text, then each image as a data URL.
      return {
        role: 'user',
        content: [
          { type: 'text', text: message.content },
          ...message.images.map((image) => ({ type: 'image_url' as const, image_url: { url: `data:${image.mediaType};base64,${image.data}` } })),
        ],
      };
    case 'assistant':
      return assistantMessage(message);
    case 'tool':
      return {
        role: 'tool',
        tool_call_id: message.toolCallId,
        content: message.isError ? `Error: ${message.content}` : message.content,
      };
  }
}

function assistantMessage(message: AssistantMessage): ChatCompletionMessageParam {
  const text = message.content.flatMap((part) => (part.type === 'text' ? [part.text] : [])).join('');
  const calls = message.content.flatMap((part) => (part.type === 'tool_call' ? [part] : []));
  return {
    role: 'assistant',
    content: text === '' && calls.length > 0 ? null : text,
    ...(calls.length > 0 && {
      tool_calls: calls.map((call) => ({
        id: call.id,
        type: 'function' as const,
        function: { name: call.name, arguments: JSON.stringify(call.input) },
      })),
    }),
  };
}

function chatTool(tool: ToolDefinition): ChatCompletionTool {
  return {
    type: 'function',
    function: { name: tool.name, description: tool.description, parameters: tool.inputSchema },
  };
}
