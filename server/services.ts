import type { AgentService } from './agent/agent-service';
import type { Config } from './config';
import type { SecretBox } from './crypto/secret-box';
import type { Sql } from './db/database';
import type { Logger } from './log';
import type { Metrics } from './http/metrics';
import type { TemplateCatalog } from './projects/templates';
import type { DaemonConnections } from './runtime/daemon-connections';
import type { Runtime } from './runtime/runtime';

/** What request handlers need, built once per process by main.ts (or by a test). */
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
  /** Clients of the sandbox daemons. */
  daemons: DaemonConnections;
  /** The agent: chats, turns, their events. Set by server.ts before the app is built. */
  agent?: AgentService;
  /** Absent when this process runs no sandboxes (API-only tests). */
  runtime?: Runtime;
}
