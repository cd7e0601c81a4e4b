import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { silentLogger } from '../log';
import { freePort } from '../net/free-port';
import { startEmbeddedPostgres } from './embedded-postgres';
import { callApi } from '../testing/process-fixture';
import { openTestSocket } from '../testing/ws-client';
import { runFailingServerProcess, startServerProcess, type ServerProcess } from '../testing/server-process';
import { waitFor } from '../testing/wait-for';

const postmasterPid = (dataDir: string): number => Number(readFileSync(join(dataDir, 'postgres', 'postmaster.pid'), 'utf8').split('\n')[0]);
const alive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};
/** Data directories of the servers started here, removed after the suites. */
const made: string[] = [];
const dataDirFor = (name: string) => {
  const dir = mkdtempSync(join(tmpdir(), `slipway-${name}-`));
  made.push(dir);
  return dir;
};
after(() => { for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true }); });

const errorLines = (output: string) => output.split('\n').filter((line) => /"level":(50|60)/.test(line) || /CONNECTION_CLOSED|Unhandled|uncaught/i.test(line));

/** The real server process with its embedded PostgreSQL, killed and stopped as in production. */
describe('embedded PostgreSQL going away (server process)', function () {
  this.timeout(3 * 60_000);
  let server: ServerProcess;
  let dataDir: string;

  before(async function () {
    this.timeout(5 * 60_000);
    dataDir = dataDirFor('outage');
    server = await startServerProcess({ SLIPWAY_DATA_DIR: dataDir, SLIPWAY_PG_PORT: String(await freePort()), SLIPWAY_RUNTIME: 'host', SLIPWAY_LOG_FORMAT: 'json' }, { signup: 'open', warmPool: 0 });
  });
  after(async () => {
    if (server?.child.exitCode === null) await server.kill();
  });

  it('answers 503 database_unavailable at once while PostgreSQL is down, restarts it, recovers, and still stops on SIGTERM', async () => {
    const token: string = (await callApi(server.url, 'POST', '/api/auth/signup', undefined, { email: 'outage@example.com', password: 'a long password' })).body.accessToken;
    assert.equal((await callApi(server.url, 'GET', '/api/me', token)).status, 200);
    const first = postmasterPid(dataDir);
    process.kill(first, 'SIGKILL');

    const seen: { status: number; code?: string; reason?: string; message?: string; retryAfter: string | null; ms: number }[] = [];
    const started = Date.now();
    while (Date.now() - started < 40_000) {
      const t0 = Date.now();
      const res = await fetch(`${server.url}/api/me`, { headers: { authorization: `Bearer ${token}` } });
      const body = await res.json() as { error?: { code: string; reason?: string; message: string } };
      seen.push({ status: res.status, code: body.error?.code, reason: body.error?.reason, message: body.error?.message, retryAfter: res.headers.get('retry-after'), ms: Date.now() - t0 });
      if (res.status === 200 && seen.some((s) => s.status === 503)) break;
      await new Promise((r) => setTimeout(r, 25));
    }
    const outage = seen.filter((s) => s.status !== 200);
    assert.ok(outage.length > 0, `no request saw the outage: ${JSON.stringify(seen.slice(0, 5))}`);
    for (const s of outage) {
      assert.equal(s.status, 503, JSON.stringify(s));
      assert.equal(s.code, 'unavailable');
      assert.equal(s.reason, 'database_unavailable');
      assert.match(s.message ?? '', /the database is unavailable/);
      assert.equal(s.retryAfter, '5');
    }
    // Failing is fast; the first answer after the restart may be slow on a loaded machine (recovery).
    const slowest = Math.max(...outage.map((s) => s.ms));
    assert.ok(slowest < 4000, `a 503 took ${slowest} ms: ${JSON.stringify(seen)}`);
    assert.equal(seen.at(-1)!.status, 200, `recovered: ${JSON.stringify(seen.slice(-3))}`);

    // A new postmaster runs; liveness held, readiness is back, and writes work.
    const second = postmasterPid(dataDir);
    assert.notEqual(second, first);
    assert.ok(alive(second));
    assert.equal((await fetch(`${server.url}/healthz`)).status, 200);
    assert.equal((await fetch(`${server.url}/readyz`)).status, 200);
    assert.equal((await callApi(server.url, 'POST', '/api/tokens', token, { name: 'after the outage' })).status, 201);

    server.child.kill('SIGTERM');
    const code = await Promise.race([server.exited, new Promise((r) => setTimeout(() => r('timeout'), 30_000))]);
    assert.equal(code, 0, `exit: ${code}\n${server.output().slice(-2000)}`);
    assert.ok(!alive(second), 'PostgreSQL was stopped with the server');
    const unexpected = errorLines(server.output()).filter((line) => !/exited unexpectedly/.test(line));
    assert.deepEqual(unexpected, []);
  });
});

describe('an external PostgreSQL going away (server process)', function () {
  this.timeout(3 * 60_000);

  it('answers 503 at once while it is down, recovers when it is back, and stops on SIGTERM even while it is down', async () => {
    const pgDir = dataDirFor('external');
    const port = await freePort();
    let db = await startEmbeddedPostgres({ dataDir: pgDir, port, log: silentLogger() });
    const server = await startServerProcess({ DATABASE_URL: db.url, SLIPWAY_DATA_DIR: dataDirFor('external-server'), SLIPWAY_RUNTIME: 'host', SLIPWAY_LOG_FORMAT: 'json' }, { signup: 'open', warmPool: 0 });
    try {
      const token: string = (await callApi(server.url, 'POST', '/api/auth/signup', undefined, { email: 'external@example.com', password: 'a long password' })).body.accessToken;
      await db.stop();
      for (let i = 0; i < 3; i++) {
        const t0 = Date.now();
        const res = await fetch(`${server.url}/api/me`, { headers: { authorization: `Bearer ${token}` } });
        assert.equal(res.status, 503);
        const { error } = (await res.json()) as { error: { code: string; reason?: string } };
        assert.deepEqual([error.code, error.reason], ['unavailable', 'database_unavailable']);
        assert.equal(res.headers.get('retry-after'), '5');
        assert.ok(Date.now() - t0 < 4000, `took ${Date.now() - t0} ms`);
      }
      assert.equal((await fetch(`${server.url}/readyz`)).status, 503);
      assert.equal((await fetch(`${server.url}/healthz`)).status, 200, 'alive: restarting the server would not help');

      db = await startEmbeddedPostgres({ dataDir: pgDir, port, log: silentLogger() });
      await waitFor(async () => (await fetch(`${server.url}/api/me`, { headers: { authorization: `Bearer ${token}` } })).status === 200, { timeoutMs: 20_000, what: 'recovery' });
      assert.equal((await fetch(`${server.url}/readyz`)).status, 200);

      await db.stop();
      server.child.kill('SIGTERM');
      const code = await Promise.race([server.exited, new Promise((r) => setTimeout(() => r('timeout'), 40_000))]);
      assert.equal(code, 0, `exit: ${code}\n${server.output().slice(-2000)}`);
    } finally {
      if (server.child.exitCode === null) await server.kill();
      await db.stop();
    }
  });
});

describe('server start and stop (server process)', function () {
  this.timeout(3 * 60_000);

  it('stops in order on SIGTERM and on SIGINT: exit 0, PostgreSQL stopped, no error logged', async () => {
    for (const signal of ['SIGTERM', 'SIGINT'] as const) {
      const dataDir = dataDirFor('stop');
      const server = await startServerProcess({ SLIPWAY_DATA_DIR: dataDir, SLIPWAY_PG_PORT: String(await freePort()), SLIPWAY_RUNTIME: 'host', SLIPWAY_LOG_FORMAT: 'json' }, { signup: 'open', warmPool: 0 });
      const pid = postmasterPid(dataDir);
      // An open WebSocket and a LISTEN connection are what used to log `write CONNECTION_CLOSED`.
      const token: string = (await callApi(server.url, 'POST', '/api/auth/signup', undefined, { email: 'stop@example.com', password: 'a long password' })).body.accessToken;
      const socket = await openTestSocket(server.url, token);
      assert.ok(socket);
      server.child.kill(signal);
      assert.equal(await server.exited, 0, server.output().slice(-2000));
      assert.ok(!alive(pid), `PostgreSQL stopped after ${signal}`);
      assert.deepEqual(errorLines(server.output()), [], `after ${signal}`);
    }
  });

  it('a start that cannot succeed says why in one line and exits non-zero', async () => {
    const busy = createServer();
    await new Promise<void>((resolve) => busy.listen(0, '127.0.0.1', resolve));
    const port = (busy.address() as { port: number }).port;
    try {
      const cases: [Record<string, string>, RegExp][] = [
        [{ SLIPWAY_PORT: String(port), SLIPWAY_PG_PORT: String(await freePort()) }, new RegExp(`port ${port} on 127\\.0\\.0\\.1 is in use`)],
        [{ SLIPWAY_PG_PORT: String(port) }, new RegExp(`embedded PostgreSQL did not start on port ${port}.*in use`)],
        [{ SLIPWAY_DATA_DIR: '/etc/hostname/slipway' }, /data directory \/etc\/hostname\/slipway is not writable/],
      ];
      for (const [env, expected] of cases) {
        const dataDir = dataDirFor('fail');
        const run = await runFailingServerProcess({ SLIPWAY_DATA_DIR: dataDir, SLIPWAY_RUNTIME: 'host', SLIPWAY_LOG_FORMAT: 'json', ...env });
        assert.notEqual(run.code, 0);
        const lines = run.stderr.trim().split('\n');
        assert.equal(lines.length, 1, run.stderr);
        assert.match(lines[0]!, /^Slipway could not start: /);
        assert.match(lines[0]!, expected);
        assert.doesNotMatch(run.stderr + run.stdout, /Unhandled|    at /);
      }
    } finally {
      busy.close();
    }
  });

  it('a second start on the data directory of a running server refuses, and leaves the first one and its PostgreSQL alone', async () => {
    const dataDir = dataDirFor('twice');
    const pgPort = String(await freePort());
    const env = { SLIPWAY_DATA_DIR: dataDir, SLIPWAY_PG_PORT: pgPort, SLIPWAY_RUNTIME: 'host', SLIPWAY_LOG_FORMAT: 'json' };
    const first = await startServerProcess(env, { signup: 'open', warmPool: 0 });
    try {
      const pid = postmasterPid(dataDir);
      const run = await runFailingServerProcess({ ...env, SLIPWAY_PORT: String(await freePort()) });
      assert.notEqual(run.code, 0);
      assert.match(run.stderr, /^Slipway could not start: another Slipway server \(pid \d+\) is running on the data directory /);
      assert.equal(run.stderr.trim().split('\n').length, 1, run.stderr);
      assert.ok(alive(pid), "the first server's PostgreSQL was not stopped");
      assert.equal(postmasterPid(dataDir), pid);
      assert.equal((await callApi(first.url, 'POST', '/api/auth/signup', undefined, { email: 'twice@example.com', password: 'a long password' })).status, 201);
    } finally {
      first.child.kill('SIGTERM');
      assert.equal(await first.exited, 0, first.output().slice(-2000));
    }
  });
});
