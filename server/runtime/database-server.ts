import { DATABASE_NAME, DATABASE_PORT, DATABASE_USER } from './database-env';
import type { DatabaseSpec } from './runtime';

/**
 * How every runtime runs a project's PostgreSQL (the image's entrypoint, k8s/images/postgres-entrypoint.sh):
 * the cluster is made on first start for user and database `app` (the database's owner, no superuser); the server listens on the loopback
 * of the sandbox's network namespace only (never on the address other sandboxes or the host route to);
 * it writes only its data directory and /tmp, so the root file system is read-only.
 */
export const DATABASE_UID = 999;
/** Where the database's own volume is mounted; the image's PGDATA is a directory inside it. */
export const DATABASE_DATA_DIR = '/var/lib/postgresql/data';
/** Processes: one per connection plus a handful of background workers. */
export const DATABASE_MAX_CONNECTIONS = 50;
export const DATABASE_PIDS = 128;

export function databaseServerEnv(spec: DatabaseSpec): Record<string, string> {
  // The project's user owns its database and is no superuser (see the entrypoint).
  return { POSTGRES_USER: DATABASE_USER, POSTGRES_DB: DATABASE_NAME, POSTGRES_SUPERUSER: 'no', POSTGRES_PASSWORD: spec.password };
}

/** The server's command line: loopback only, connections and shared buffers sized to the limits. */
export function databaseServerCommand(spec: DatabaseSpec): string[] {
  const sharedBuffersMb = Math.max(16, Math.min(1024, Math.floor(spec.limits.memoryMb / 4)));
  return [
    'slipway-postgres',
    '-c', 'listen_addresses=127.0.0.1',
    '-c', `port=${DATABASE_PORT}`,
    '-c', `max_connections=${DATABASE_MAX_CONNECTIONS}`,
    '-c', `shared_buffers=${sharedBuffersMb}MB`,
  ];
}

/** A readiness probe the image answers: exits 0 once the server accepts connections. */
export const DATABASE_READY_COMMAND = ['pg_isready', '--quiet', '--host=127.0.0.1', `--port=${DATABASE_PORT}`, `--username=${DATABASE_USER}`, `--dbname=${DATABASE_NAME}`];
