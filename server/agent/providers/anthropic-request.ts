import type {
  ContentBlockParam,
  MessageCreateParamsStreaming,
  MessageParam,
  Tool,
} from '@anthropic-ai/sdk/resources/messages';
import type { Message, ModelRequest, ToolDefinition } from './provider';

const CACHE = { type: 'ephemeral' } as const;

/**
 * Translates a neutral request into a streaming Messages body. Prompt caching: breakpoints
 * on the last tool (caches all tools), the system prompt (tools + system) and the last
 * message's last block (the conversation so far), three of the four allowed. Prompts shorter
 * than the model's cache minimum are simply not cached.
 */
export function messagesBody(request: ModelRequest, model: string): MessagesBody {
  const body: MessagesBody = {
    model,
    max_tokens: request.maxTokens,
    messages: conversation(request.messages),
    stream: true,
  };
  if (request.system) body.system = [{ type: 'text', text: request.system, cache_control: CACHE }];
  if (request.tools.length > 0) {
    body.tools = request.tools.map(toolParam);
    const lastTool = body.tools.at(-1);
    if (lastTool) lastTool.cache_control = CACHE;
  }
  const lastBlocks = body.messages.at(-1)?.content;
  const lastBlock = Array.isArray(lastBlocks) ? lastBlocks.at(-1) : undefined;
  if (lastBlock && canCache(lastBlock)) lastBlock.cache_control = CACHE;
  return body;
}

/** The body with `tools` narrowed to custom tools, which is all Slipway sends. */
type MessagesBody = Omit<MessageCreateParamsStreaming, 'tools'> & { tools?: Tool[] };

function canCache(block: ContentBlockParam): block is ContentBlockParam & { cache_control?: typeof CACHE } {
  return block.type === 'text' || block.type === 'tool_use' || block.type === 'tool_result';
}

/**
 * Anthropic wants alternating user / assistant turns, with tool results as blocks of a user
 * turn; so consecutive tool results and user text fold into one user message.
 */
function conversation(messages: Message[]): MessageParam[] {
  const out: MessageParam[] = [];
  for (const message of messages) {
    const role = message.role === 'assistant' ? 'assistant' : 'user';
    const blocks = contentBlocks(message);
    if (blocks.length === 0) continue;
    const previous = out.at(-1);
    if (previous && previous.role === role && Array.isArray(previous.content)) previous.content.push(...blocks);
    else out.push({ role, content: blocks });
  }
  return out;
}

function contentBlocks(message: Message): ContentBlockParam[] {
  switch (message.role) {
    case 'user': {
      // Images first, then the text about them (Anthropic's advice); base64 image blocks.
      const images = (message.images ?? []).map((image): ContentBlockParam => ({ type: 'image', source: { type: 'base64', media_type: image.mediaType, data: image.data } }));
      return message.content === '' ? images : [...images, { type: 'text', text: message.content }];
    }
    case 'tool':
      return [{
        type: 'tool_result',
        tool_use_id: message.toolCallId,
        content: message.content,
        ...(message.isError && { is_error: true }),
      }];
    case 'assistant':
      return message.content.flatMap((part): ContentBlockParam[] => {
        if (part.type === 'text') return part.text === '' ? [] : [{ type: 'text', text: part.text }];
        return [{ type: 'tool_use', id: part.id, name: part.name, input: part.input }];
      });
  }
}

function toolParam(tool: ToolDefinition): Tool {
  return { name: tool.name, description: tool.description, input_schema: tool.inputSchema };
}
