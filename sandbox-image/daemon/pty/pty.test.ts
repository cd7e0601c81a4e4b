import assert from 'node:assert/strict';
import path from 'node:path';
import { DaemonClientError } from '../../../server/daemon-client/daemon-client-error';
import type { DaemonStream } from '../../../server/daemon-client/daemon-stream';
import { configFromEnv } from '../config';
import type { TestDaemon } from '../testing/test-daemon';
import { eventually, startTestDaemon } from '../testing/test-daemon';

/** Collects one terminal's output from a stream. */
function collect(stream: DaemonStream, terminalId: string): { text(): string } {
  let text = '';
  stream.on('pty.output', (data) => {
    if (data.terminalId === terminalId) text += data.data;
  });
  return { text: () => text };
}

describe('daemon pty', () => {
  let t: TestDaemon;
  beforeEach(async () => {
    t = await startTestDaemon();
  });
  afterEach(async () => t.stop());

  it('opens a terminal, takes input, resizes, and closes', async () => {
    await t.client.call('fs.mkdir', { path: 'proj' });
    const terminal = await t.client.call('pty.open', { cols: 100, rows: 30, cwd: 'proj', env: { MARK: 'slipway' }, command: ['bash', '--norc', '--noprofile', '-i'] });
    assert.equal(terminal.running, true);
    const stream = await t.client.connect();
    try {
      const out = collect(stream, terminal.terminalId);
      const subscribed = await stream.call('pty.subscribe', { terminalId: terminal.terminalId });
      assert.equal(subscribed.cols, 100);
      await stream.call('pty.input', { terminalId: terminal.terminalId, data: 'echo "$MARK-$((40+2))" in "$PWD"; stty size\r' });
      await eventually(() => out.text().includes(`slipway-42 in ${path.join(t.workspace, 'proj')}`), 5000, 'echo output');
      await eventually(() => out.text().includes('30 100'), 5000, 'stty size');
      await stream.call('pty.resize', { terminalId: terminal.terminalId, cols: 120, rows: 40 });
      await stream.call('pty.input', { terminalId: terminal.terminalId, data: 'stty size\r' });
      await eventually(() => out.text().includes('40 120'), 5000, 'resized stty size');
      const listed = await t.client.call('pty.list', {});
      assert.deepEqual(listed.terminals.map((x) => [x.terminalId, x.cols, x.rows]), [[terminal.terminalId, 120, 40]]);
      let exited = false;
      stream.on('pty.exit', (data) => {
        if (data.terminalId === terminal.terminalId) exited = true;
      });
      await t.client.call('pty.close', { terminalId: terminal.terminalId });
      await eventually(() => exited, 5000, 'pty.exit');
      assert.deepEqual((await t.client.call('pty.list', {})).terminals, []);
      await assert.rejects(t.client.call('pty.input', { terminalId: terminal.terminalId, data: 'x' }), (e: unknown) => e instanceof DaemonClientError && e.code === 'not_found');
    } finally {
      stream.close();
    }
  });

  it('keeps running when its client goes away, and replays scrollback on reconnect', async () => {
    const terminal = await t.client.call('pty.open', { command: ['bash', '--norc', '--noprofile', '-i'] });
    const first = await t.client.connect();
    const out = collect(first, terminal.terminalId);
    await first.call('pty.subscribe', { terminalId: terminal.terminalId });
    await first.call('pty.input', { terminalId: terminal.terminalId, data: 'echo before-$((1+1))\r' });
    await eventually(() => out.text().includes('before-2'), 5000, 'first output');
    first.close();
    await new Promise((resolve) => setTimeout(resolve, 100));
    // While nobody watches, the shell keeps going.
    await t.client.call('pty.input', { terminalId: terminal.terminalId, data: 'echo during-$((2+2))\r' });
    await new Promise((resolve) => setTimeout(resolve, 300));
    const second = await t.client.connect();
    try {
      const live = collect(second, terminal.terminalId);
      const again = await second.call('pty.subscribe', { terminalId: terminal.terminalId });
      assert.equal(again.running, true);
      assert.ok(again.scrollback.includes('before-2'), 'scrollback lost output from before the disconnect');
      assert.ok(again.scrollback.includes('during-4'), 'scrollback lost output produced while disconnected');
      await second.call('pty.input', { terminalId: terminal.terminalId, data: 'echo after-$((3+3))\r' });
      await eventually(() => live.text().includes('after-6'), 5000, 'live output after reconnect');
      assert.ok(!live.text().includes('during-4'), 'live events repeated the scrollback');
    } finally {
      second.close();
    }
  });

  it('keeps a detached terminal (and what it started) for the configured time, then hangs it up', async () => {
    await t.stop();
    // The keep time is long next to the steps below, so that a loaded machine cannot outrun it.
    t = await startTestDaemon({ detachedTerminalSeconds: 2 });
    const terminal = await t.client.call('pty.open', { command: ['bash', '--norc', '--noprofile', '-i'] });
    const first = await t.client.connect();
    await first.call('pty.subscribe', { terminalId: terminal.terminalId });
    // A "dev server" started in the shell, in the background.
    await first.call('pty.input', { terminalId: terminal.terminalId, data: 'sleep 300 & echo child=$!\r' });
    await new Promise((resolve) => setTimeout(resolve, 2500));
    assert.equal((await t.client.call('pty.list', {})).terminals[0]?.running, true, 'an attached terminal was hung up');
    first.close();
    // Detached, but back within the keep time (a window reload): still the same shell.
    const second = await t.client.connect();
    const again = await second.call('pty.subscribe', { terminalId: terminal.terminalId });
    assert.equal(again.running, true);
    const child = Number(/child=(\d+)/.exec(again.scrollback)?.[1]);
    assert.ok(child > 0, again.scrollback);
    // Attached again for longer than the keep time: the hang-up was called off.
    await new Promise((resolve) => setTimeout(resolve, 2500));
    assert.equal((await t.client.call('pty.list', {})).terminals[0]?.running, true, 'a re-attached terminal was hung up');
    process.kill(child, 0); // still alive
    second.close();
    // Nobody comes back: hung up after the keep time.
    await eventually(async () => !(await t.client.call('pty.list', {})).terminals.some((x) => x.terminalId === terminal.terminalId && x.running), 10_000, 'the detached terminal to be hung up');
    process.kill(child, 'SIGKILL');
  });

  it('reads the keep time from SLIPWAY_DETACHED_TERMINAL_SECONDS', () => {
    const token = 'x'.repeat(32);
    assert.equal(configFromEnv({ SLIPWAY_DAEMON_TOKEN: token, SLIPWAY_DETACHED_TERMINAL_SECONDS: '90' }).detachedTerminalSeconds, 90);
    assert.equal(configFromEnv({ SLIPWAY_DAEMON_TOKEN: token }).detachedTerminalSeconds, undefined);
    assert.throws(() => configFromEnv({ SLIPWAY_DAEMON_TOKEN: token, SLIPWAY_DETACHED_TERMINAL_SECONDS: 'soon' }), /SLIPWAY_DETACHED_TERMINAL_SECONDS/);
  });

  it('bounds the scrollback', async () => {
    const terminal = await t.client.call('pty.open', { command: ['sh', '-c', 'head -c 600000 /dev/zero | tr "\\0" x; echo; echo END; sleep 5'] });
    const stream = await t.client.connect();
    try {
      const subscribed = await eventually(async () => {
        const s = await stream.call('pty.subscribe', { terminalId: terminal.terminalId });
        return s.scrollback.includes('END') ? s : undefined;
      }, 5000, 'END in scrollback');
      assert.ok(subscribed.scrollback.length <= 256 * 1024 + 4096, `scrollback is ${subscribed.scrollback.length} bytes`);
      assert.ok(subscribed.scrollback.length >= 200 * 1024);
    } finally {
      stream.close();
    }
  });
});
