import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import { JSONRPCMessageSchema, type JSONRPCMessage } from '@modelcontextprotocol/sdk/types.js';
import type { DaemonParamsIn } from '../../../protocol/daemon/methods';
import type { DaemonStream } from '../../daemon-client';

export type SessionSpec = DaemonParamsIn<'mcp.open'>['server'];

/** How a session ended, as the daemon reported it (or the stream's loss). */
export interface SessionEnd {
  reason: string;
  stderr: string;
}

/**
 * The MCP SDK's Transport over one daemon /stream connection: `start` opens the session in the
 * sandbox (a stdio process or the HTTP relay), messages go out as `mcp.send` and come back as
 * `mcp.message` events. The connection is this transport's alone: closing it ends the session.
 */
export class DaemonTransport implements Transport {
  onclose?: () => void;
  onerror?: (error: Error) => void;
  onmessage?: (message: JSONRPCMessage) => void;
  /** Set once the session has ended: why. */
  end: SessionEnd | undefined;
  private daemonSession: string | undefined;
  private closed = false;

  constructor(
    private readonly stream: DaemonStream,
    private readonly spec: SessionSpec,
  ) {}

  async start(): Promise<void> {
    // The stream carries this one session, so its events are this session's (they may arrive
    // before `mcp.open`'s reply has been taken in).
    this.stream.on('mcp.message', ({ message }) => {
      let parsed;
      try {
        parsed = JSONRPCMessageSchema.safeParse(JSON.parse(message));
      } catch {
        return this.onerror?.(new Error('the MCP server sent a line that is not JSON'));
      }
      if (parsed.success) this.onmessage?.(parsed.data);
      else this.onerror?.(new Error('the MCP server sent something that is not a JSON-RPC message'));
    });
    this.stream.on('mcp.closed', ({ reason, stderr }) => this.finish({ reason, stderr }));
    this.stream.onClose(() => this.finish({ reason: 'the sandbox connection closed', stderr: '' }));
    const opened = await this.stream.call('mcp.open', { server: this.spec });
    this.daemonSession = opened.sessionId;
  }

  async send(message: JSONRPCMessage): Promise<void> {
    if (!this.daemonSession || this.closed) throw new Error('the MCP session is not open');
    await this.stream.call('mcp.send', { sessionId: this.daemonSession, message: JSON.stringify(message) });
  }

  async close(): Promise<void> {
    this.finish(undefined);
    this.stream.close();
  }

  private finish(end: SessionEnd | undefined): void {
    if (this.closed) return;
    this.closed = true;
    this.end = end;
    this.onclose?.();
  }
}
