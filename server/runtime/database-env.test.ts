import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { databaseEnv, databaseUrlFor, newDatabasePassword } from './database-env';
import { HostRuntime } from './host/host-runtime';
import { SandboxFailure } from './runtime';

describe('project database environment', () => {
  it('gives DATABASE_URL and the PG* variables for user and database app on the sandbox loopback', () => {
    const env = databaseEnv('p@ss/w:rd');
    assert.equal(env.DATABASE_URL, 'postgres://app:p%40ss%2Fw%3Ard@127.0.0.1:5432/app');
    assert.equal(new URL(env.DATABASE_URL!).password, 'p%40ss%2Fw%3Ard');
    assert.deepEqual({ ...env, DATABASE_URL: undefined }, { DATABASE_URL: undefined, PGHOST: '127.0.0.1', PGPORT: '5432', PGUSER: 'app', PGPASSWORD: 'p@ss/w:rd', PGDATABASE: 'app' });
  });

  it('makes a different URL-safe password every time', () => {
    const a = newDatabasePassword();
    assert.match(a, /^[A-Za-z0-9_-]{32}$/);
    assert.notEqual(a, newDatabasePassword());
    assert.equal(databaseUrlFor(a), `postgres://app:${a}@127.0.0.1:5432/app`);
  });

  it('is refused by the host runtime, which cannot isolate it, with a message for people', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'slipway-host-db-'));
    try {
      const host = new HostRuntime(dir);
      const spec = { id: 'dbhost', image: 'x', token: 't', limits: { cpus: 1, memoryMb: 256, pids: 64 }, labels: { installation: 'i' }, database: { image: 'x', password: 'p', limits: { cpus: 1, memoryMb: 256 } } };
      await assert.rejects(host.start(spec), (error: unknown) => error instanceof SandboxFailure && /host runtime does not isolate/.test(error.message) && !error.retryable);
      assert.equal((await host.inspect('dbhost')).state, 'missing', 'nothing was started');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
