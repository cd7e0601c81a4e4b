import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createApp } from './app';
import { bootstrapAdmin } from './auth/bootstrap';
import { publicUrl, type Config } from './config';
import { deriveKey, loadMasterKey } from './crypto/server-key';
import { SecretBox } from './crypto/secret-box';
import { connect, type Sql } from './db/database';
import { startEmbeddedPostgres, type EmbeddedDatabase } from './db/embedded-postgres';
import { migrate } from './db/migrate';
import { Metrics } from './http/metrics';
import type { Logger } from './log';
import { TemplateCatalog } from './projects/templates';
import type { Services } from './services';
import { WsGateway } from './ws/ws-gateway';

export interface RunningServer {
  url: string;
  services: Services;
  http: Server;
  /** A one-time sign-in token when the admin account has not been used yet. */
  firstRun?: { email: string; token: string; created: boolean };
  close(): Promise<void>;
}

/** Database, migrations, services, HTTP + WebSocket. Used by main.ts and by end-to-end tests. */
export async function startServer(config: Config, log: Logger, options: { sql?: Sql } = {}): Promise<RunningServer> {
  let embedded: EmbeddedDatabase | undefined;
  let sql = options.sql;
  if (!sql) {
    let url = config.databaseUrl;
    if (!url) {
      embedded = await startEmbeddedPostgres({ dataDir: config.dataDir, port: config.embeddedPostgresPort, log });
      url = embedded.url;
    }
    sql = connect(url);
  }
  await migrate(sql, log);

  const master = loadMasterKey(config);
  const services: Services = {
    config, sql, log,
    jwtKey: deriveKey(master, 'jwt'),
    secrets: new SecretBox(deriveKey(master, 'secrets')),
    metrics: new Metrics({ defaults: !options.sql }),
    templates: new TemplateCatalog(),
  };
  const firstRun = await bootstrapAdmin(sql);

  const gateway = new WsGateway(services);
  await gateway.start();
  const http = createServer(createApp(services).callback());
  http.on('upgrade', (req, socket, head) => {
    if (!gateway.handleUpgrade(req, socket, head)) socket.end('HTTP/1.1 404 Not Found\r\nConnection: close\r\n\r\n');
  });
  http.requestTimeout = 5 * 60_000;
  await new Promise<void>((resolve, reject) => {
    http.once('error', reject);
    http.listen(config.port, config.host, () => resolve());
  });
  const port = (http.address() as AddressInfo).port;
  const url = publicUrl({ ...config, port });

  return {
    url, services, http, firstRun,
    async close() {
      await gateway.close();
      http.closeAllConnections();
      await new Promise<void>((resolve) => http.close(() => resolve()));
      if (!options.sql) await sql.end({ timeout: 5 });
      await embedded?.stop();
    },
  };
}
