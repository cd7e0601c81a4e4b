import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { DaemonClient } from '../../server/daemon-client/daemon-client';
import { configFromEnv } from './config';
import { eventually } from './testing/test-daemon';

const entry = path.join(import.meta.dirname, 'main.ts');

const freePort = (): Promise<number> =>
  new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });

function runMain(env: Record<string, string>) {
  const base: Record<string, string> = {};
  for (const [key, value] of Object.entries(process.env)) if (value !== undefined && !key.startsWith('SLIPWAY_')) base[key] = value;
  return spawn(process.execPath, ['--import', 'tsx', entry], { env: { ...base, SLIPWAY_DAEMON_QUIET: '1', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
}

describe('daemon main', () => {
  it('reads its configuration from the environment', () => {
    assert.throws(() => configFromEnv({}), /SLIPWAY_DAEMON_TOKEN/);
    assert.throws(() => configFromEnv({ SLIPWAY_DAEMON_TOKEN: 'short' }), /SLIPWAY_DAEMON_TOKEN/);
    assert.throws(() => configFromEnv({ SLIPWAY_DAEMON_TOKEN: 'x'.repeat(32), SLIPWAY_DAEMON_PORT: 'http' }), /PORT/);
    assert.deepEqual(configFromEnv({ SLIPWAY_DAEMON_TOKEN: 'x'.repeat(32) }), { host: '0.0.0.0', port: 7070, workspace: '/workspace', token: 'x'.repeat(32) });
  });

  it('refuses to start without a token', async () => {
    const child = runMain({ SLIPWAY_DAEMON_PORT: String(await freePort()) });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const [code] = await once(child, 'exit');
    assert.equal(code, 2);
    assert.match(stderr, /SLIPWAY_DAEMON_TOKEN must be set/);
  });

  it('serves, keeps its token and its own malloc tuning from commands, and stops on SIGTERM', async () => {
    const workspace = await mkdtemp(path.join(tmpdir(), 'slipway-main-'));
    const port = await freePort();
    const token = 'main-test-token-0123456789';
    // As the image starts it (its CMD sets the daemon's malloc tuning).
    const child = runMain({ SLIPWAY_DAEMON_TOKEN: token, SLIPWAY_DAEMON_PORT: String(port), SLIPWAY_DAEMON_HOST: '127.0.0.1', SLIPWAY_WORKSPACE: workspace, MALLOC_ARENA_MAX: '1', MALLOC_TRIM_THRESHOLD_: '131072' });
    const client = new DaemonClient({ baseUrl: `http://127.0.0.1:${port}`, token });
    try {
      await eventually(() => client.health().catch(() => undefined), 10_000, 'the daemon to answer');
      const env = await client.call('exec.run', { command: ['env'] });
      assert.ok(!env.stdout.includes(token));
      assert.doesNotMatch(env.stdout, /^MALLOC_/m, 'the daemon\'s malloc settings reached a command');
      const bash = await client.call('exec.run', { command: 'echo "[$SLIPWAY_DAEMON_TOKEN]"' });
      assert.equal(bash.stdout, '[]\n');
      child.kill('SIGTERM');
      const [code] = await once(child, 'exit');
      assert.equal(code, 0);
    } finally {
      client.close();
      child.kill('SIGKILL');
      await rm(workspace, { recursive: true, force: true });
    }
  });
});
