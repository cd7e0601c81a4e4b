import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import type { ToolResult } from '../tools/tool';

/**
 * An MCP tool's result as the text the model gets (the dispatcher caps it like any tool's):
 * text parts as they are, embedded text resources, structured content as JSON, and a note for
 * what the model cannot be given here (images, audio, binary resources).
 */
export function mcpToolResultText(result: CallToolResult): ToolResult {
  const parts: string[] = [];
  for (const item of result.content ?? []) {
    if (item.type === 'text') parts.push(item.text);
    else if (item.type === 'resource') parts.push('text' in item.resource ? item.resource.text : `[binary resource ${item.resource.uri}]`);
    else if (item.type === 'resource_link') parts.push(`[resource ${item.uri}]`);
    else parts.push(`[${item.type} content left out]`);
  }
  if (parts.length === 0 && result.structuredContent) parts.push(JSON.stringify(result.structuredContent));
  return { content: parts.join('\n') || '(no output)', isError: result.isError === true };
}
