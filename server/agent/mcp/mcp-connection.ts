import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import type { CallToolResult, Tool } from '@modelcontextprotocol/sdk/types.js';
import { Backoff } from '../../../protocol/client/backoff';
import type { McpServerStatus } from '../../../protocol/mcp';
import type { DaemonClient } from '../../daemon-client';
import { DaemonTransport, type SessionSpec } from './daemon-transport';

export interface McpServerEntry {
  name: string;
  source: McpServerStatus['source'];
  spec: SessionSpec;
}

/** Failures in a row after which a server stays down until a turn asks for it again. */
const MAX_RESTARTS_IN_A_ROW = 5;
const CONNECT_TIMEOUT_MS = 20_000;
const CALL_TIMEOUT_MS = 5 * 60_000;
const MAX_TOOLS = 200;
const HEARTBEAT_MS = 10_000;

/**
 * One MCP server of a project, through the official SDK client over the sandbox daemon: started
 * in the sandbox, its tools listed, restarted with backoff when it dies, stopped on request (or
 * with the sandbox, whose daemon ends every session it holds).
 */
export class McpConnection {
  state: McpServerStatus['state'] = 'starting';
  error: string | null = null;
  restarts = 0;
  tools: Tool[] = [];
  private client: Client | undefined;
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;
  private starting: Promise<void> | undefined;
  private readonly backoff = new Backoff({ initialMs: 500, maxMs: 30_000 });
  private readonly readyWaiters = new Set<() => void>();

  constructor(
    readonly entry: McpServerEntry,
    private readonly daemon: DaemonClient,
    private readonly onChange: () => void,
  ) {}

  /** Starts it (once at a time); resolves when it is up or has failed. */
  start(): Promise<void> {
    this.starting ??= this.connect().finally(() => { this.starting = undefined; });
    return this.starting;
  }

  /** A server that gave up (too many failures in a row) gets another chance. */
  retryIfGaveUp(): void {
    if (this.state === 'failed' && !this.timer && !this.starting && !this.stopped) {
      this.backoff.reset();
      this.restarts++;
      void this.start();
    }
  }

  /** Up, or down with a restart due (a call waits for it). */
  get offersTools(): boolean {
    return this.state === 'ready' || ((this.timer !== undefined || this.starting !== undefined) && this.tools.length > 0);
  }

  /** Resolves once a start under way has finished (at once when none is). */
  settled(): Promise<void> {
    return this.starting ?? Promise.resolve();
  }

  /**
   * Calls a tool. A server that is restarting (it crashed, a retry is due) is waited for, up to
   * the start timeout: a crash between the model's steps costs a wait, not the call.
   */
  async call(tool: string, args: Record<string, unknown>, signal: AbortSignal): Promise<CallToolResult> {
    if (this.state !== 'ready' && (this.timer || this.starting)) await this.untilReady(signal);
    if (this.state !== 'ready' || !this.client) throw new Error(`the MCP server "${this.entry.name}" is not running${this.error ? `: ${this.error}` : ''}`);
    const result = await this.client.callTool({ name: tool, arguments: args }, undefined, { signal, timeout: CALL_TIMEOUT_MS, resetTimeoutOnProgress: true });
    return result as CallToolResult;
  }

  private untilReady(signal: AbortSignal): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.readyWaiters.delete(done);
        signal.removeEventListener('abort', done);
        resolve();
      };
      const timer = setTimeout(done, CONNECT_TIMEOUT_MS);
      this.readyWaiters.add(done);
      signal.addEventListener('abort', done, { once: true });
    });
  }

  async stop(): Promise<void> {
    this.stopped = true;
    for (const wake of [...this.readyWaiters]) wake();
    clearTimeout(this.timer);
    this.timer = undefined;
    const client = this.client;
    this.client = undefined;
    await client?.close().catch(() => undefined);
  }

  private async connect(): Promise<void> {
    if (this.stopped) return;
    this.setState('starting', this.error);
    let transport: DaemonTransport | undefined;
    try {
      const stream = await this.daemon.connect();
      // A sandbox that vanishes without closing the socket is noticed in two missed pings.
      stream.heartbeat(HEARTBEAT_MS);
      transport = new DaemonTransport(stream, this.entry.spec);
      const current = transport;
      const client = new Client({ name: 'slipway', version: '1' }, { capabilities: {} });
      // Only a connection that was up is "lost"; a failed start is handled below.
      client.onclose = () => {
        if (this.client === client) this.lost(current);
      };
      await client.connect(transport, { timeout: CONNECT_TIMEOUT_MS });
      const tools = await listAllTools(client);
      if (this.stopped) return void client.close().catch(() => undefined);
      this.tools = tools;
      this.client = client;
      this.backoff.reset();
      this.setState('ready', null);
    } catch (error) {
      const end = transport?.end;
      await transport?.close().catch(() => undefined);
      this.failed(describe(error, end));
    }
  }

  private lost(transport: DaemonTransport): void {
    this.client = undefined;
    if (this.stopped) return;
    this.failed(describe(undefined, transport.end));
  }

  private failed(message: string): void {
    // The tools stay known (and offered) while a restart is due; a server that gave up has none.
    this.setState('failed', message);
    if (this.stopped || this.backoff.attempts >= MAX_RESTARTS_IN_A_ROW) {
      this.tools = [];
      for (const wake of [...this.readyWaiters]) wake();
      return;
    }
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.restarts++;
      void this.start();
    }, this.backoff.next());
    this.timer.unref();
  }

  private setState(state: McpServerStatus['state'], error: string | null): void {
    const changed = state !== this.state || error !== this.error;
    this.state = state;
    this.error = error;
    if (state === 'ready') for (const wake of [...this.readyWaiters]) wake();
    if (changed) this.onChange();
  }
}

async function listAllTools(client: Client): Promise<Tool[]> {
  if (!client.getServerCapabilities()?.tools) return [];
  const tools: Tool[] = [];
  let cursor: string | undefined;
  do {
    const page = await client.listTools(cursor ? { cursor } : undefined, { timeout: CONNECT_TIMEOUT_MS });
    tools.push(...page.tools);
    cursor = page.nextCursor;
  } while (cursor && tools.length < MAX_TOOLS);
  return tools.slice(0, MAX_TOOLS);
}

/** A short sentence for the chat: what ended the session and the last of its stderr. */
function describe(error: unknown, end: { reason: string; stderr: string } | undefined): string {
  const base = end?.reason ?? (error instanceof Error ? error.message : 'failed');
  const stderr = end?.stderr.trim().split('\n').slice(-5).join('\n');
  return `${base}${stderr ? `: ${stderr}` : ''}`.slice(0, 2000);
}
