import { z } from 'zod';
import { McpHttpServer, McpStdioServer } from '../mcp';

/**
 * One MCP server session in the sandbox, on the /stream WebSocket only: `mcp.open` starts a stdio
 * server (a process in the workspace) or relays to an HTTP one (the connection leaves from the
 * sandbox); JSON-RPC messages then flow as `mcp.send` and `mcp.message`; `mcp.closed` tells why it
 * ended. A session ends with the connection that opened it.
 */
export const McpSessionId = z.string().regex(/^mcp_\d{1,12}$/);
/** One JSON-RPC message, as JSON text; the MCP client checks its shape. */
export const MAX_MCP_MESSAGE_CHARS = 8 * 1024 * 1024;
export const McpMessage = z.string().min(2).max(MAX_MCP_MESSAGE_CHARS);

export const OpenParams = z.object({
  server: z.union([McpStdioServer.extend({ type: z.literal('stdio') }), McpHttpServer.extend({ type: z.literal('http') })]),
});
export const OpenResult = z.object({ sessionId: McpSessionId, pid: z.number().int().nullable() });
export const SendParams = z.object({ sessionId: McpSessionId, message: McpMessage.max(1024 * 1024 - 1024) });
export const SessionParams = z.object({ sessionId: McpSessionId });

export const MessageEvent = z.object({ sessionId: McpSessionId, message: McpMessage });
export const ClosedEvent = z.object({
  sessionId: McpSessionId,
  /** What ended it, for people: the exit status, a transport error. */
  reason: z.string().max(1000),
  exitCode: z.number().int().nullable(),
  /** The last of the server's stderr (stdio only). */
  stderr: z.string().max(8192),
});
