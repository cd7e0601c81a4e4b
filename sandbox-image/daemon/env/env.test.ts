import assert from 'node:assert/strict';
import { startTestDaemon, type TestDaemon } from '../testing/test-daemon';

describe('daemon env', () => {
  let d: TestDaemon;
  before(async () => { d = await startTestDaemon(); });
  after(async () => { await d.stop(); });

  it('gives pushed variables to new processes, later changes too, with per-call values on top', async () => {
    await d.client.call('env.set', { vars: { GREETING: 'hello', SHARED: 'project' } });
    const first = await d.client.call('exec.run', { command: 'echo "$GREETING $SHARED"', env: { SHARED: 'call' } });
    assert.equal(first.stdout, 'hello call\n');
    await d.client.call('env.set', { vars: { GREETING: 'changed' } });
    const second = await d.client.call('exec.run', { command: 'echo "$GREETING/${SHARED:-unset}"' });
    assert.equal(second.stdout, 'changed/unset\n');
  });

  it('never passes the daemon token on, even when pushed', async () => {
    await d.client.call('env.set', { vars: { SLIPWAY_DAEMON_TOKEN: 'leak' } });
    const run = await d.client.call('exec.run', { command: 'echo "${SLIPWAY_DAEMON_TOKEN:-none}"' });
    assert.equal(run.stdout, 'none\n');
  });
});
