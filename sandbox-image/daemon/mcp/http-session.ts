import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { JSONRPCMessageSchema } from '@modelcontextprotocol/sdk/types.js';
import { DaemonError } from '../rpc/daemon-error';
import type { McpSession, SessionEvents } from './mcp-session';
import { nodeFetch } from './node-fetch';

export interface HttpSpec {
  url: string;
  headers: Record<string, string>;
}

/**
 * A relay to a streamable-HTTP MCP server: the SDK's client transport runs here, in the sandbox,
 * so the connection leaves from the sandbox's network (its egress rules apply) and never from the
 * Slipway server. Messages pass through unchanged; the server's client speaks MCP.
 */
export async function startHttpSession(spec: HttpSpec, events: SessionEvents): Promise<McpSession> {
  const transport = new StreamableHTTPClientTransport(new URL(spec.url), { requestInit: { headers: spec.headers }, fetch: nodeFetch });
  let lastError = '';
  let closing = false;
  transport.onmessage = (message) => events.message(JSON.stringify(message));
  transport.onerror = (error) => { lastError = error.message.slice(0, 500); };
  transport.onclose = () => {
    if (!closing) events.closed({ reason: lastError ? `the connection closed: ${lastError}` : 'the connection closed', exitCode: null, stderr: '' });
  };
  await transport.start();
  return {
    pid: null,
    send: async (text) => {
      const parsed = JSONRPCMessageSchema.safeParse(JSON.parse(text));
      if (!parsed.success) throw new DaemonError('bad_request', 'not a JSON-RPC message', 'invalid_argument');
      try {
        await transport.send(parsed.data);
      } catch (error) {
        throw new DaemonError('unavailable', `the MCP server at ${new URL(spec.url).host} did not take the message: ${describe(error)}`, 'unavailable');
      }
    },
    close: () => {
      closing = true;
      void transport.terminateSession().catch(() => undefined).finally(() => transport.close());
    },
  };
}

/** fetch's "fetch failed" with the reason under it (ECONNREFUSED, a DNS failure…). */
function describe(error: unknown): string {
  if (!(error instanceof Error)) return 'failed';
  const cause = error.cause as { code?: unknown; message?: unknown } | undefined;
  const why = typeof cause?.code === 'string' ? cause.code : typeof cause?.message === 'string' ? cause.message : '';
  return `${error.message}${why ? ` (${why})` : ''}`.slice(0, 300);
}
