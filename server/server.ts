import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { AgentService } from './agent/agent-service';
import { createApp } from './app';
import { bootstrapAdmin } from './auth/bootstrap';
import { publicUrl, type Config } from './config';
import { deriveKey, loadMasterKey } from './crypto/server-key';
import { SecretBox } from './crypto/secret-box';
import { connect, type Sql } from './db/database';
import { startEmbeddedPostgres, type EmbeddedDatabase } from './db/embedded-postgres';
import { migrate } from './db/migrate';
import { Metrics, projectStatusGauge } from './http/metrics';
import type { Logger } from './log';
import { countProjectsByStatus } from './projects/project-store';
import { TemplateCatalog } from './projects/templates';
import { PreviewProxy } from './preview/preview-proxy';
import { Reconciler } from './reconcile/reconciler';
import { DaemonConnections } from './runtime/daemon-connections';
import type { KubernetesRuntime } from './runtime/kubernetes/kubernetes-runtime';
import type { Runtime } from './runtime/runtime';
import { selectRuntime } from './runtime/select-runtime';
import type { Services } from './services';
import { WsGateway } from './ws/ws-gateway';
import { CredentialWatch } from './auth/credential-watch';

export interface RunningServer {
  url: string;
  services: Services;
  agent: AgentService;
  /** Absent when this process runs no sandboxes (API-only tests). */
  runtime?: Runtime;
  http: Server;
  /** A one-time sign-in token when the admin account has not been used yet. */
  firstRun?: { email: string; token: string; created: boolean };
  reconciler?: Reconciler;
  close(): Promise<void>;
}

/** Database, migrations, services, HTTP + WebSocket. Used by main.ts and by end-to-end tests. */
export interface StartOptions {
  /** An existing pool (tests); otherwise DATABASE_URL or the embedded PostgreSQL. */
  sql?: Sql;
  /** A given runtime, `null` for none (API only), or chosen from the config when absent. */
  runtime?: Runtime | null;
}

/**
 * The composition root: every part is built here, once, with what it uses passed in; nothing is
 * filled in or changed afterwards. The port is bound first, so the configuration every part sees
 * names the real one (port 0 in tests); requests that come before the app is ready get 503.
 */
export async function startServer(given: Config, log: Logger, options: StartOptions = {}): Promise<RunningServer> {
  let embedded: EmbeddedDatabase | undefined;
  let sql = options.sql;
  // A start that fails stops what it started (PostgreSQL, the pool, the port) before saying why.
  const abort = async (error: unknown, http?: Server): Promise<never> => {
    http?.close();
    if (!options.sql) await sql?.end({ timeout: 5 }).catch(() => undefined);
    await embedded?.stop().catch(() => undefined);
    throw error;
  };
  try {
    if (!sql) {
      let url = given.databaseUrl;
      if (!url) {
        embedded = await startEmbeddedPostgres({ dataDir: given.dataDir, port: given.embeddedPostgresPort, log });
        url = embedded.url;
      }
      sql = connect(url);
    }
    await migrate(sql, log);
  } catch (error) {
    return abort(error);
  }
  const db = sql;

  const http = createServer();
  // Upgraded sockets (WebSocket, preview HMR) are not HTTP connections any more: track them all for shutdown.
  const sockets = new Set<Socket>();
  http.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });
  http.requestTimeout = 5 * 60_000;
  const starting = (_req: IncomingMessage, res: ServerResponse) => {
    res.writeHead(503, { 'content-type': 'application/json', 'retry-after': '1' });
    res.end(JSON.stringify({ error: { code: 'unavailable', message: 'the server is starting; try again in a moment' } }));
  };
  http.on('request', starting);
  await listen(http, given).catch((error: unknown) => abort(error));
  // Port 0 (tests) binds a free port: links (previews, OpenAPI) must name the real one.
  const config: Config = { ...given, port: (http.address() as AddressInfo).port };

  const parts = await compose(config, db, log, { ...options, databaseStatus: embedded ? embedded.status : () => 'external' })
    .catch((error: unknown) => abort(error, http));
  const { services, runtime, chosen, agent, gateway, credentials, reconciler, preview, firstRun } = parts;
  http.off('request', starting);
  http.on('request', createApp(services, agent, preview).callback());
  http.on('upgrade', (req, socket, head) => {
    if (preview.handleUpgrade(req, socket, head) || gateway.handleUpgrade(req, socket, head)) return;
    socket.end('HTTP/1.1 404 Not Found\r\nConnection: close\r\n\r\n');
  });
  const url = publicUrl(config);

  return {
    url, services, agent, runtime, http, firstRun, reconciler,
    async close() {
      await reconciler?.stop();
      await agent.stop();
      services.daemons.closeAll();
      // A runtime the caller passed in is the caller's to close.
      if (runtime !== options.runtime) await runtime?.close?.();
      if (options.runtime === undefined && runtime !== chosen) await chosen?.close?.();
      await gateway.close();
      await credentials.stop();
      http.closeAllConnections();
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => http.close(() => resolve()));
      if (!options.sql) await db.end({ timeout: 5 });
      await embedded?.stop();
    },
  };
}

/** Builds every part once, each with what it uses, in dependency order. */
async function compose(config: Config, sql: Sql, log: Logger, options: StartOptions & { databaseStatus: () => string }) {
  const master = loadMasterKey(config);
  const chosen = options.runtime === undefined ? await selectRuntime(config, log) : options.runtime ?? undefined;
  const secrets = new SecretBox(deriveKey(master, 'secrets'));
  const runtime = await withTeamClusters(chosen, sql, secrets, config, log);
  const services: Services = {
    config, sql, log,
    jwtKey: deriveKey(master, 'jwt'),
    secrets,
    runtimeKind: runtime?.kind,
    metrics: new Metrics({ defaults: !options.sql }),
    templates: new TemplateCatalog(),
    daemons: new DaemonConnections(deriveKey(master, 'daemon-tokens'), runtime?.dial),
    databaseStatus: options.databaseStatus,
  };
  projectStatusGauge(services.metrics, () => countProjectsByStatus(sql));
  const firstRun = await bootstrapAdmin(sql);

  const agent = new AgentService(services);
  await agent.start();
  const credentials = new CredentialWatch(services);
  await credentials.start();
  const gateway = new WsGateway(services, agent, credentials);
  await gateway.start();
  const reconciler = runtime ? await Reconciler.create({ ...services, runtime }) : undefined;
  await reconciler?.start();
  const preview = new PreviewProxy(services, credentials);
  return { services, runtime, chosen, agent, gateway, credentials, reconciler, preview, firstRun };
}

/** On Kubernetes, teams may register their own cluster: one runtime in front of the server's cluster and theirs. */
async function withTeamClusters(runtime: Runtime | undefined, sql: Sql, secrets: SecretBox, config: Config, log: Logger): Promise<Runtime | undefined> {
  if (runtime?.kind !== 'kubernetes') return runtime;
  const { TeamClustersRuntime } = await import('./runtime/kubernetes/team-clusters-runtime');
  return new TeamClustersRuntime(runtime as KubernetesRuntime, sql, secrets, config, log);
}

/** Binds the port; a port in use or refused is one clear sentence. */
function listen(server: Server, config: Config): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) => {
      const where = `port ${config.port} on ${config.host}`;
      if (error.code === 'EADDRINUSE') reject(new Error(`${where} is in use by another program; set SLIPWAY_PORT to a free port`));
      else if (error.code === 'EACCES') reject(new Error(`this user may not listen on ${where}; set SLIPWAY_PORT to a port above 1023`));
      else if (error.code === 'EADDRNOTAVAIL') reject(new Error(`${config.host} is not an address of this machine; set SLIPWAY_HOST`));
      else reject(error);
    });
    server.listen(config.port, config.host, () => resolve());
  });
}
