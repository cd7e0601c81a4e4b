import type { Config } from './config';
import type { SecretBox } from './crypto/secret-box';
import type { Sql } from './db/database';
import type { Logger } from './log';
import type { Metrics } from './http/metrics';
import type { TemplateCatalog } from './projects/templates';
import type { DaemonConnections } from './runtime/daemon-connections';
import type { RuntimeKind } from './runtime/runtime';

/**
 * The shared infrastructure every part may use, built once per process by the composition root
 * (server.ts) and never changed afterwards. The parts themselves (the agent, the reconciler, the
 * WebSocket gateway, the preview proxy) are built there too and handed to whoever uses them.
 */
export interface Services {
  config: Config;
  sql: Sql;
  log: Logger;
  /** Signs and verifies access tokens. */
  jwtKey: Uint8Array;
  /** Encrypts secrets at rest. */
  secrets: SecretBox;
  metrics: Metrics;
  templates: TemplateCatalog;
  /** The sandbox runtime's kind (absent: this process runs no sandboxes). */
  runtimeKind?: RuntimeKind;
  /** Clients of the sandbox daemons. */
  daemons: DaemonConnections;
  /** The embedded PostgreSQL's state (`failed`: it cannot be brought back), or `external`. */
  databaseStatus?: () => string;
}
