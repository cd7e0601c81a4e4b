import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer } from 'ws';
import { errorStatus, type ErrorBody, type ErrorCode } from '../../protocol/errors';
import { PROTOCOL_VERSION, parseWsSubprotocol, wsSubprotocol } from '../../protocol/version';
import { WS_CLOSE } from '../../protocol/ws';
import { bearerFrom, resolveBearer } from '../auth/authenticate';
import type { CredentialWatch } from '../auth/credential-watch';
import type { AgentService } from '../agent/agent-service';
import type { Services } from '../services';
import { ProjectFeed } from './project-feed';
import { WsConnection } from './ws-connection';
import { wsHandlers } from './ws-methods';

export const WS_PATH = '/ws';
/** Close code telling a client its access changed: reconnect and subscribe again. */
export const WS_CLOSE_ACCESS_CHANGED = WS_CLOSE.accessChanged;
const HEARTBEAT_MS = 30_000;

/**
 * The `/ws` endpoint on the HTTP server. A client is checked before the upgrade (protocol version
 * as the `slipway.vN` subprotocol, bearer token); refusals are plain HTTP answers with the usual
 * JSON error body, so clients can show why.
 */
export class WsGateway {
  readonly feed: ProjectFeed;
  private readonly wss: WebSocketServer;
  private readonly connections = new Set<WsConnection>();
  private readonly heartbeat: NodeJS.Timeout;

  constructor(
    private readonly services: Pick<Services, 'sql' | 'log' | 'config' | 'metrics' | 'jwtKey' | 'daemons' | 'secrets'>,
    private readonly agent: AgentService,
    private readonly watch: CredentialWatch,
    options: { heartbeatMs?: number } = {},
  ) {
    this.feed = new ProjectFeed(services.sql, services.log);
    // Messages over the soft limit get an error reply; far larger ones close only that socket.
    this.wss = new WebSocketServer({
      noServer: true,
      maxPayload: services.config.limits.wsMessageBytes * 4,
      handleProtocols: (protocols) => (protocols.has(wsSubprotocol()) ? wsSubprotocol() : false),
    });
    this.heartbeat = setInterval(() => this.beat(), options.heartbeatMs ?? HEARTBEAT_MS);
    this.heartbeat.unref();
  }

  async start(): Promise<void> {
    await this.feed.start();
  }

  /** For the HTTP server's `upgrade` event. Returns false when the path is not ours. */
  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): boolean {
    const path = (req.url ?? '').split('?')[0];
    if (path !== WS_PATH) return false;
    void this.accept(req, socket, head).catch((err: unknown) => {
      this.services.log.error({ err }, 'websocket upgrade failed');
      refuse(socket, 'internal', 'something went wrong on the server');
    });
    return true;
  }

  private async accept(req: IncomingMessage, socket: Duplex, head: Buffer): Promise<void> {
    const offered = String(req.headers['sec-websocket-protocol'] ?? '').split(',').map((p) => p.trim()).filter(Boolean);
    const versions = offered.map(parseWsSubprotocol).filter((v): v is number => v !== undefined);
    if (!versions.includes(PROTOCOL_VERSION)) {
      const said = versions.length ? `protocol ${versions.join(', ')}` : 'no protocol version';
      return refuse(socket, 'unsupported_protocol', `this server speaks Slipway protocol ${PROTOCOL_VERSION} (subprotocol ${wsSubprotocol()}); the client offered ${said}`);
    }
    const token = bearerFrom(req.headers.authorization);
    const resolved = token ? await resolveBearer(this.services, token) : undefined;
    if (!resolved) return refuse(socket, 'unauthorized', token ? 'the token is invalid, expired or revoked' : 'send "Authorization: Bearer <token>"');
    this.wss.handleUpgrade(req, socket, head, (ws) => {
      const connection = new WsConnection(ws, resolved.user, resolved.credential, {
        handlers: wsHandlers(this.services, this.agent, this.feed),
        log: this.services.log,
        metrics: this.services.metrics,
        maxMessageBytes: this.services.config.limits.wsMessageBytes,
      });
      this.connections.add(connection);
      // Revocation, sign-out, expiry and leaving a team close it (the same watch as preview sockets).
      connection.onClose(this.watch.add(connection));
      this.services.metrics.wsConnections.inc();
      ws.on('error', (err) => this.services.log.debug({ err }, 'websocket error'));
      ws.on('close', () => {
        this.connections.delete(connection);
        this.services.metrics.wsConnections.dec();
      });
    });
  }

  private beat(): void {
    for (const connection of this.connections) {
      if (!connection.alive) {
        connection.socket.terminate();
        continue;
      }
      connection.alive = false;
      connection.socket.ping();
    }
  }

  async close(): Promise<void> {
    clearInterval(this.heartbeat);
    for (const connection of this.connections) connection.socket.close(1001, 'server shutting down');
    await this.feed.stop();
    await new Promise<void>((resolve) => this.wss.close(() => resolve()));
  }
}

function refuse(socket: Duplex, code: ErrorCode, message: string): void {
  if (socket.destroyed) return;
  const body = JSON.stringify({ error: { code, message } } satisfies ErrorBody);
  const status = errorStatus[code];
  socket.end(
    `HTTP/1.1 ${status} ${code}\r\nConnection: close\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
  );
}
