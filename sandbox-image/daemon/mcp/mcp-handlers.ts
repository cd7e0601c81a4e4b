import { DaemonError } from '../rpc/daemon-error';
import type { HandlersFor } from '../rpc/handler';
import type { Workspace } from '../workspace/workspace';
import { childEnv } from '../workspace/child-env';
import { startHttpSession } from './http-session';
import type { McpSession } from './mcp-session';
import { startStdioSession } from './stdio-session';

/** Sessions open at once in one daemon (each may be a process). */
export const MAX_MCP_SESSIONS = 32;

/**
 * The mcp capability: sessions live in this table and belong to the stream connection that opened
 * them: when it closes, they close (a stdio server's process group is killed), so a server that
 * lost its client never lingers. The daemon's close ends them all.
 */
export class McpSessions {
  private readonly sessions = new Map<string, { session: McpSession; connection: object }>();
  private nextId = 1;

  constructor(private readonly ws: Workspace) {}

  handlers(): HandlersFor<'mcp'> {
    return {
      'mcp.open': async ({ server }, { stream }) => {
        if (!stream) throw new DaemonError('bad_request', 'mcp.open needs the stream');
        if (this.sessions.size >= MAX_MCP_SESSIONS) throw new DaemonError('unavailable', `at most ${MAX_MCP_SESSIONS} MCP servers run at once`, 'too_many_processes');
        const sessionId = `mcp_${this.nextId++}`;
        const events = {
          message: (message: string) => stream.send('mcp.message', { sessionId, message }),
          closed: (end: { reason: string; exitCode: number | null; stderr: string }) => {
            if (!this.sessions.delete(sessionId)) return;
            stream.unsubscribe(sessionId);
            stream.send('mcp.closed', { sessionId, ...end, reason: end.reason.slice(0, 1000), stderr: end.stderr.slice(-8192) });
          },
        };
        const session = server.type === 'stdio'
          ? await startStdioSession({ command: server.command, args: server.args, env: childEnv({ ...this.ws.projectEnv, ...server.env }), cwd: this.ws.root }, events)
          : await startHttpSession({ url: server.url, headers: server.headers }, events);
        this.sessions.set(sessionId, { session, connection: stream.connection });
        stream.subscribe(sessionId, () => this.end(sessionId));
        return { sessionId, pid: session.pid };
      },
      'mcp.send': async ({ sessionId, message }, { stream }) => {
        const entry = this.sessions.get(sessionId);
        if (!entry || entry.connection !== stream?.connection) throw new DaemonError('not_found', `no MCP session ${sessionId} on this connection`, 'not_found');
        await entry.session.send(message);
        return { ok: true as const };
      },
      'mcp.close': ({ sessionId }, { stream }) => {
        if (stream && this.sessions.get(sessionId)?.connection === stream.connection) stream.unsubscribe(sessionId);
        return { ok: true as const };
      },
    };
  }

  closeAll(): void {
    for (const id of [...this.sessions.keys()]) this.end(id);
  }

  private end(sessionId: string): void {
    const entry = this.sessions.get(sessionId);
    this.sessions.delete(sessionId);
    entry?.session.close();
  }
}
