import assert from 'node:assert/strict';
import { mkdtempSync, renameSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { silentLogger } from '../log';
import { freePort } from '../net/free-port';
import { waitFor } from '../testing/wait-for';
import { startEmbeddedPostgres } from './embedded-postgres';
import { postgresBinaries } from './postgres-binaries';
import { Postmaster } from './postmaster';

/** The supervisor of the embedded PostgreSQL, on the real binaries. */
describe('Postmaster supervision', function () {
  this.timeout(60_000);
  let dataDir: string;
  before(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'slipway-postmaster-'));
    // A cluster made the way the server makes it, then handed to a supervisor of our own.
    await (await startEmbeddedPostgres({ dataDir, port: await freePort(), log: silentLogger() })).stop();
  });
  after(() => rmSync(dataDir, { recursive: true, force: true }));

  it('restarts a killed postmaster, and gives up (status failed) when it cannot come back', async () => {
    const pgDir = join(dataDir, 'postgres');
    const postmaster = new Postmaster({
      binaries: await postgresBinaries(dataDir, silentLogger()), pgDir, port: await freePort(), log: silentLogger(),
      flags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories='], restartDelaysMs: [100], maxFailedRestarts: 3,
    });
    try {
      await postmaster.start();
      const first = postmaster.pid!;
      process.kill(first, 'SIGKILL');
      await waitFor(async () => postmaster.status === 'running' && postmaster.pid !== undefined && postmaster.pid !== first, { timeoutMs: 20_000, what: 'a new postmaster' });

      // Now it cannot start again: its data directory is gone.
      const second = postmaster.pid!;
      renameSync(pgDir, `${pgDir}.away`);
      process.kill(second, 'SIGKILL');
      await waitFor(async () => postmaster.status === 'failed', { timeoutMs: 20_000, what: 'status failed' });
      assert.equal(postmaster.pid, undefined);
      renameSync(`${pgDir}.away`, pgDir);
    } finally {
      await postmaster.stop();
    }
  });
});
