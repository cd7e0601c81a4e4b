import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer } from 'ws';
import { DAEMON_PROTOCOL_VERSION } from '../../protocol/daemon/methods';
import { MAX_RPC_BODY_BYTES } from '../../protocol/daemon/files';
import { STREAM_PATH } from '../../protocol/daemon/stream';
import type { DaemonConfig } from './config';
import { envHandlers } from './env/env-handlers';
import { execHandlers } from './exec/exec-handlers';
import { ProcessTable } from './exec/process-table';
import { probeProcesses } from './exec/spawn-probe';
import { filesRoute } from './fs/files-route';
import { fsHandlers } from './fs/fs-handlers';
import { CREDENTIAL_PATH, CredentialGrants } from './git/credential-grants';
import { gitHandlers } from './git/git-handlers';
import { bearerChecker } from './http/auth';
import { admit, requestRouter } from './http/request-router';
import { log } from './log';
import { McpSessions } from './mcp/mcp-handlers';
import { portsHandlers } from './ports/ports-handlers';
import { ptyHandlers } from './pty/pty-handlers';
import { TerminalTable } from './pty/terminal-table';
import type { HandlerMap } from './rpc/handler';
import { serveStream } from './stream/stream-connection';
import { watchHandlers } from './watch/watch-handlers';
import { WorkspaceWatch } from './watch/workspace-watch';
import { Workspace } from './workspace/workspace';

export interface RunningDaemon {
  host: string;
  port: number;
  /** http://host:port */
  url: string;
  workspaceRoot: string;
  close(): Promise<void>;
}

/** Starts the daemon: HTTP + the /stream WebSocket on one port, every capability wired in. */
export async function startDaemon(config: DaemonConfig): Promise<RunningDaemon> {
  const authorized = bearerChecker(config.token);
  const workspace = await Workspace.open(config.workspace);
  const processes = new ProcessTable();
  const terminals = new TerminalTable({ detachedMs: (config.detachedTerminalSeconds ?? 3600) * 1000 });
  const watch = new WorkspaceWatch(workspace.root);
  const startedAt = Date.now();
  let port = config.port;
  const grants = new CredentialGrants(() => port);
  const mcp = new McpSessions(workspace);

  const handlers: HandlerMap = {
    health: async ({ probe }) => ({
      ok: true as const, protocol: DAEMON_PROTOCOL_VERSION, uptimeMs: Date.now() - startedAt, pid: process.pid,
      ...(probe ? { processes: await probeProcesses() } : {}),
    }),
    ...fsHandlers(workspace),
    ...execHandlers(workspace, processes),
    ...ptyHandlers(workspace, terminals),
    ...watchHandlers(watch),
    ...portsHandlers(() => port),
    ...envHandlers(workspace),
    ...gitHandlers(workspace, grants),
    ...mcp.handlers(),
  };

  const router = requestRouter({ authorized, handlers, files: filesRoute(workspace, config.maxFileBytes) });
  // Git's credential helper in the sandbox presents a one-time grant here, not the daemon's token.
  const server = createServer((req, res) => (req.url === CREDENTIAL_PATH ? grants.serve(req, res).catch(() => res.destroy()) : router(req, res)));
  server.keepAliveTimeout = 65_000;
  const sockets = new WebSocketServer({ noServer: true, maxPayload: MAX_RPC_BODY_BYTES });
  server.on('upgrade', (req, socket, head) => {
    const refused = admit(req, authorized);
    const path = new URL(req.url ?? '/', 'http://daemon').pathname;
    if (refused || path !== STREAM_PATH) {
      const status = refused?.status ?? 404;
      socket.end(`HTTP/1.1 ${status} ${status === 401 ? 'Unauthorized' : 'Refused'}\r\nconnection: close\r\ncontent-length: 0\r\n\r\n`);
      return;
    }
    sockets.handleUpgrade(req, socket, head, (ws) => serveStream(ws, handlers));
  });
  server.on('clientError', (_error, socket) => socket.destroy());

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.port, config.host, () => resolve());
  });
  port = (server.address() as AddressInfo).port;
  log.info('daemon listening', { host: config.host, port, workspace: workspace.root });

  return {
    host: config.host,
    port,
    url: `http://${config.host.includes(':') ? `[${config.host}]` : config.host}:${port}`,
    workspaceRoot: workspace.root,
    close: async () => {
      processes.killAll();
      terminals.closeAll();
      mcp.closeAll();
      watch.close();
      await grants.close();
      for (const client of sockets.clients) client.terminate();
      sockets.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
