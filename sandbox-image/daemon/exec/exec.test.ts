import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { getPriority } from 'node:os';
import path from 'node:path';
import type { DaemonEventData } from '../../../protocol/daemon/stream';
import { DaemonClientError } from '../../../server/daemon-client/daemon-client-error';
import type { TestDaemon } from '../testing/test-daemon';
import { eventually, startTestDaemon } from '../testing/test-daemon';
import { COMMAND_NICENESS } from './below-daemon';

/** Running, and not a zombie waiting for init to reap it. */
const alive = (pid: number): boolean => {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return !/^\d+ \(.*\) Z/.test(stat);
  } catch {
    return false;
  }
};

describe('daemon exec', () => {
  let t: TestDaemon;
  beforeEach(async () => {
    t = await startTestDaemon();
  });
  afterEach(async () => t.stop());

  it('runs argv commands directly and strings through bash, with cwd and env', async () => {
    await t.client.call('fs.mkdir', { path: 'sub dir' });
    const argv = await t.client.call('exec.run', { command: ['sh', '-c', 'echo "$GREETING from $(pwd)"; echo oops >&2; exit 3'], cwd: 'sub dir', env: { GREETING: 'hello' } });
    assert.equal(argv.stdout, `hello from ${path.join(t.workspace, 'sub dir')}\n`);
    assert.equal(argv.stderr, 'oops\n');
    assert.equal(argv.exitCode, 3);
    assert.equal(argv.truncated, false);
    const shell = await t.client.call('exec.run', { command: 'echo $((6 * 7)) | tr 4 X' });
    assert.equal(shell.stdout, 'X2\n');
    assert.equal(shell.exitCode, 0);
    const literal = await t.client.call('exec.run', { command: ['echo', '$HOME; rm -rf /'] });
    assert.equal(literal.stdout, '$HOME; rm -rf /\n');
  });

  it('keeps the exit status of a script that exits (no login-shell logout step)', async () => {
    const ok = await t.client.call('exec.run', { command: 'echo done; exit 0' });
    assert.equal(ok.exitCode, 0);
    const failed = await t.client.call('exec.run', { command: 'exit 3' });
    assert.equal(failed.exitCode, 3);
  });

  // Its speed is measured in `npm run bench` (exec `true` against `docker exec`), never here.
  it('runs `true` again and again', async () => {
    for (let i = 0; i < 10; i++) assert.equal((await t.client.call('exec.run', { command: ['true'] })).exitCode, 0);
  });

  it('does not pass the daemon token to commands', async () => {
    process.env.SLIPWAY_DAEMON_TOKEN = t.token;
    try {
      const env = await t.client.call('exec.run', { command: ['env'], env: { SLIPWAY_DAEMON_TOKEN: 'x' } });
      assert.ok(!env.stdout.includes('SLIPWAY_DAEMON_'), 'a SLIPWAY_DAEMON_ variable reached the command');
      assert.ok(!env.stdout.includes(t.token));
    } finally {
      delete process.env.SLIPWAY_DAEMON_TOKEN;
    }
  });

  it('feeds stdin and reports a missing command', async () => {
    const cat = await t.client.call('exec.run', { command: ['cat'], stdin: 'piped in' });
    assert.equal(cat.stdout, 'piped in');
    await assert.rejects(t.client.call('exec.run', { command: ['no-such-command-slipway'] }), (e: unknown) => e instanceof DaemonClientError && e.code === 'not_found');
    const viaShell = await t.client.call('exec.run', { command: 'no-such-command-slipway' });
    assert.equal(viaShell.exitCode, 127);
    await assert.rejects(t.client.call('exec.run', { command: ['true'], cwd: 'missing' }), (e: unknown) => e instanceof DaemonClientError && e.code === 'not_found');
  });

  it('kills a command at its timeout, children included', async () => {
    const started = Date.now();
    const result = await t.client.call('exec.run', { command: 'sleep 30 & echo $! > child.pid; sleep 30', timeoutMs: 300 });
    assert.equal(result.timedOut, true);
    assert.equal(result.exitCode, null);
    assert.equal(result.signal, 'SIGTERM');
    assert.ok(Date.now() - started < 5000);
    const child = Number(await t.client.readText('child.pid'));
    await eventually(() => !alive(child), 3000, 'the background child to die');
  });

  it('kills the whole process group at a timeout, also a child that ignores SIGTERM and outlives the leader', async () => {
    const command = '(trap "" TERM; exec sleep 30) & echo $! > stubborn.pid; sleep 30';
    const started = Date.now();
    const result = await t.client.call('exec.run', { command, timeoutMs: 300 });
    assert.equal(result.timedOut, true);
    const stubborn = Number(await t.client.readText('stubborn.pid'));
    await eventually(() => !alive(stubborn), 4000, 'the SIGTERM-ignoring child to be killed');
    assert.ok(Date.now() - started < 6000);
    // The same for a background command.
    const { processId } = await t.client.call('exec.start', { command: command.replace('stubborn.pid', 'bg.pid'), timeoutMs: 300 });
    await eventually(async () => !(await t.client.call('exec.log', { processId })).running, 4000, 'the background command to time out');
    const bg = Number(await t.client.readText('bg.pid'));
    await eventually(() => !alive(bg), 4000, 'its SIGTERM-ignoring child to be killed');
  });

  it('runs commands below the daemon\'s CPU priority, so a busy sandbox still answers', async () => {
    const expected = String(Math.min(19, getPriority() + COMMAND_NICENESS));
    assert.equal((await t.client.call('exec.run', { command: 'nice' })).stdout.trim(), expected);
    assert.equal((await t.client.call('exec.run', { command: ['sh', '-c', 'sh -c nice'] })).stdout.trim(), expected, 'inherited by what it starts');
    await assert.rejects(t.client.call('exec.run', { command: ['./no-such-script'] }), (e: unknown) => e instanceof DaemonClientError && e.code === 'not_found');
  });

  it('reports whether processes can be started, on request', async () => {
    const health = await t.client.call('health', { probe: true });
    assert.deepEqual(health.processes, { ok: true });
    assert.equal((await t.client.call('health', {})).processes, undefined);
  });

  it('caps output and keeps the rest in the process log', async () => {
    const result = await t.client.call('exec.run', { command: ['sh', '-c', 'seq 1 20000'], maxOutputBytes: 1000 });
    assert.equal(result.truncated, true);
    assert.equal(Buffer.byteLength(result.stdout), 1000);
    assert.ok(result.stdout.startsWith('1\n2\n3\n'));
    const all = await t.client.call('exec.log', { processId: result.processId, offset: 0, limit: 1024 * 1024 });
    const text = all.chunks.map((c) => c.data).join('');
    assert.equal(text, `${Array.from({ length: 20000 }, (_, i) => i + 1).join('\n')}\n`);
    const tail = await t.client.call('exec.log', { processId: result.processId, limit: 6 });
    assert.equal(tail.chunks.map((c) => c.data).join(''), '20000\n');
    assert.equal(tail.nextOffset, Buffer.byteLength(text));
    const unicode = await t.client.call('exec.run', { command: ['printf', 'ééééé'], maxOutputBytes: 5 });
    assert.equal(unicode.stdout, 'éé');
  });

  it('starts background processes: list, log with offsets, kill the group', async () => {
    await writeFile(path.join(t.workspace, 'loop.sh'), 'trap "" TERM; i=0; while true; do i=$((i+1)); echo "tick $i"; sleep 0.05; done\n');
    const started = await t.client.call('exec.start', { command: 'sh loop.sh & wait', label: 'ticker' });
    const listed = await t.client.call('exec.list', {});
    const info = listed.processes.find((p) => p.processId === started.processId);
    assert.equal(info?.running, true);
    assert.equal(info?.label, 'ticker');
    const first = await eventually(async () => {
      const log = await t.client.call('exec.log', { processId: started.processId, offset: 0 });
      return log.chunks.map((c) => c.data).join('').includes('tick 3') ? log : undefined;
    }, 5000, 'ticks');
    const more = await eventually(async () => {
      const log = await t.client.call('exec.log', { processId: started.processId, offset: first.nextOffset });
      return log.chunks.length ? log : undefined;
    });
    assert.equal(more.offset, first.nextOffset);
    assert.match(more.chunks[0]?.data ?? '', /^tick \d+\n/);
    // The loop ignores SIGTERM; SIGKILL to the group gets it.
    await t.client.call('exec.kill', { processId: started.processId, signal: 'SIGKILL' });
    const done = await eventually(async () => {
      const log = await t.client.call('exec.log', { processId: started.processId });
      return log.running ? undefined : log;
    });
    assert.equal(done.signal, 'SIGKILL');
    const pids = await t.client.call('exec.run', { command: 'pgrep -f "sh [l]oop.sh" || true' });
    assert.equal(pids.stdout.trim(), '');
    await assert.rejects(t.client.call('exec.log', { processId: 'proc_999999' }), (e: unknown) => e instanceof DaemonClientError && e.code === 'not_found');
  });

  it('streams output and the exit over the WebSocket, replaying from an offset', async () => {
    const stream = await t.client.connect();
    try {
      const { processId } = await t.client.call('exec.start', { command: 'echo one; sleep 0.3; echo two >&2; sleep 0.1; exit 4' });
      const output: DaemonEventData<'exec.output'>[] = [];
      let exit: DaemonEventData<'exec.exit'> | undefined;
      stream.on('exec.output', (data) => data.processId === processId && output.push(data));
      stream.on('exec.exit', (data) => {
        if (data.processId === processId) exit = data;
      });
      const subscribed = await stream.call('exec.subscribe', { processId });
      assert.equal(subscribed.running, true);
      await eventually(() => exit, 5000, 'exec.exit');
      assert.deepEqual(output.map((o) => [o.stream, o.data]), [['stdout', 'one\n'], ['stderr', 'two\n']]);
      assert.deepEqual(output.map((o) => o.offset), [0, 4]);
      assert.equal(exit?.exitCode, 4);
      // A late subscriber gets the log from its offset, then the exit.
      const late: string[] = [];
      const off = stream.on('exec.output', (data) => late.push(data.data));
      const replay = await stream.call('exec.subscribe', { processId, offset: 4 });
      assert.equal(replay.running, false);
      await eventually(() => late.length === 1);
      assert.deepEqual(late, ['two\n']);
      off();
    } finally {
      stream.close();
    }
  });
});
