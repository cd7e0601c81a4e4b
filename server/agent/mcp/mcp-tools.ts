import type { Tool } from '@modelcontextprotocol/sdk/types.js';
import { AjvJsonSchemaValidator } from '@modelcontextprotocol/sdk/validation/ajv';
import { z } from 'zod';
import { MCP_TOOL_SEPARATOR, type McpServerStatus } from '../../../protocol/mcp';
import type { ToolDefinition } from '../providers/provider';
import { ToolFailure } from '../tools/tool';
import type { RegisteredTool } from '../tools/tool-registry';
import type { McpConnection } from './mcp-connection';
import { mcpToolResultText } from './mcp-result';

const MAX_SCHEMA_CHARS = 32 * 1024;
const MAX_DESCRIPTION_CHARS = 1000;
/** MCP tools offered to the model at most, all servers together (providers take ~128 tools in all). */
export const MAX_MCP_TOOLS = 100;
const validators = new AjvJsonSchemaValidator();

export interface McpTool {
  /** As the model sees it: `<server>__<tool>`. */
  name: string;
  server: string;
  registered: RegisteredTool;
  definition: ToolDefinition;
}

/** `server__tool`, in the characters and length every provider accepts. */
export function namespacedName(server: string, tool: string): string {
  return `${server}${MCP_TOOL_SEPARATOR}${tool.replace(/[^A-Za-z0-9_-]/g, '_')}`.slice(0, 64);
}

export const isReadOnly = (tool: Tool): boolean => tool.annotations?.readOnlyHint === true;

/**
 * The agent's tools from the servers that are up (or coming back from a crash), minus those turned off: each with its JSON
 * Schema (inputs are validated against it before the call), `read` when its server marks it
 * read-only and `mcp` (asks by default) otherwise. A tool whose schema does not compile is left out.
 */
export function mcpTools(connections: Iterable<McpConnection>, disabled: ReadonlySet<string>): McpTool[] {
  const tools = new Map<string, McpTool>();
  for (const connection of connections) {
    if (!connection.offersTools) continue;
    for (const tool of connection.tools) {
      const name = namespacedName(connection.entry.name, tool.name);
      if (disabled.has(name) || tools.has(name)) continue;
      const built = build(connection, tool, name);
      if (built) tools.set(name, built);
      if (tools.size >= MAX_MCP_TOOLS) return [...tools.values()];
    }
  }
  return [...tools.values()];
}

function build(connection: McpConnection, tool: Tool, name: string): McpTool | undefined {
  const schema = tool.inputSchema;
  if (JSON.stringify(schema).length > MAX_SCHEMA_CHARS) return undefined;
  let validate;
  try {
    validate = validators.getValidator<Record<string, unknown>>(schema);
  } catch {
    return undefined;
  }
  const server = connection.entry.name;
  const input = z.looseObject({}).superRefine((value, ctx) => {
    const result = validate(value);
    if (!result.valid) ctx.addIssue({ code: 'custom', message: result.errorMessage ?? 'does not match the tool\'s schema' });
  });
  const description = `${(tool.description ?? tool.title ?? tool.name).slice(0, MAX_DESCRIPTION_CHARS)} (MCP server "${server}")`;
  const registered: RegisteredTool = {
    def: {
      name, description, input,
      category: isReadOnly(tool) ? 'read' : 'mcp',
      summarize: (args) => `${server}: ${tool.name} ${JSON.stringify(args).slice(0, 300)}`,
    },
    run: async (args, ctx) => {
      try {
        return mcpToolResultText(await connection.call(tool.name, args, ctx.signal));
      } catch (error) {
        if (ctx.signal.aborted) throw error;
        throw new ToolFailure(`${name} failed: ${error instanceof Error ? error.message.slice(0, 2000) : 'unknown error'}`);
      }
    },
  };
  const { $schema: _ignored, ...inputSchema } = schema as Record<string, unknown>;
  return { name, server, registered, definition: { name, description, inputSchema: { ...inputSchema, type: 'object' } } };
}

/** What the chat shows of a server's tools. */
export function toolInfo(connection: McpConnection, disabled: ReadonlySet<string>): McpServerStatus['tools'] {
  return connection.tools.slice(0, 200).map((tool) => {
    const name = namespacedName(connection.entry.name, tool.name);
    return { name, description: (tool.description ?? '').slice(0, 1000), readOnly: isReadOnly(tool), enabled: !disabled.has(name) };
  });
}
