import { daemonMethods, isDaemonMethod, isStreamOnly } from './methods';
import { daemonEvents, isDaemonEvent, StreamServerFrame } from './stream';
import { WriteFileQuery } from './files';

// protocol/ imports nothing from Node, its tests included: a tiny assert instead of node:assert.
const assert = {
  equal(actual: unknown, expected: unknown): void {
    if (actual !== expected) throw new Error(`expected ${String(expected)}, got ${String(actual)}`);
  },
  deepEqual(actual: unknown, expected: unknown): void {
    const [a, b] = [JSON.stringify(actual), JSON.stringify(expected)];
    if (a !== b) throw new Error(`expected ${b}, got ${a}`);
  },
  ok(value: unknown): void {
    if (!value) throw new Error('expected a truthy value');
  },
};

describe('daemon protocol', () => {
  it('fills defaults into params', () => {
    assert.deepEqual(daemonMethods['fs.list'].params.parse({}), { path: '.', recursive: false, maxDepth: 64, limit: 5000 });
    const run = daemonMethods['exec.run'].params.parse({ command: ['true'] });
    assert.deepEqual([run.cwd, run.timeoutMs, run.maxOutputBytes, run.env], ['.', 60_000, 65_536, {}]);
    assert.deepEqual(daemonMethods['pty.open'].params.parse({}), { cols: 80, rows: 24, cwd: '.', env: {} });
    assert.deepEqual(WriteFileQuery.parse({ path: 'a', createParents: 'true' }), { path: 'a', createParents: true });
  });

  it('rejects what it must', () => {
    assert.equal(daemonMethods['exec.run'].params.safeParse({ command: [] }).success, false);
    assert.equal(daemonMethods['exec.run'].params.safeParse({ command: '' }).success, false);
    assert.equal(daemonMethods['exec.kill'].params.safeParse({ processId: 'proc_1', signal: 'SIGSTOP' }).success, false);
    assert.equal(daemonMethods['fs.stat'].params.safeParse({ path: '' }).success, false);
    assert.equal(daemonMethods['pty.resize'].params.safeParse({ terminalId: 'term_1', cols: 0, rows: 10 }).success, false);
    assert.equal(daemonMethods['exec.log'].params.safeParse({ processId: '../etc' }).success, false);
    assert.equal(WriteFileQuery.safeParse({ path: 'a', mode: '999' }).success, false);
    const open = daemonMethods['mcp.open'].params;
    assert.equal(open.safeParse({ server: { type: 'http', url: 'file:///etc/passwd' } }).success, false);
    assert.equal(open.safeParse({ server: { type: 'http', url: 'http://x', headers: { 'x-a': 'b\r\nInjected: 1' } } }).success, false);
    assert.equal(open.safeParse({ server: { type: 'stdio', command: 'node', env: { 'A=B': 'x' } } }).success, false);
    assert.equal(daemonMethods['mcp.send'].params.safeParse({ sessionId: 'mcp_1', message: 'x'.repeat(2 * 1024 * 1024) }).success, false);
  });

  it('marks subscriptions as stream-only and knows its names', () => {
    const streamOnly = Object.keys(daemonMethods).filter((name) => isDaemonMethod(name) && isStreamOnly(name));
    assert.deepEqual(streamOnly.sort(), ['exec.subscribe', 'exec.unsubscribe', 'mcp.close', 'mcp.open', 'mcp.send', 'pty.subscribe', 'pty.unsubscribe', 'watch.subscribe', 'watch.unsubscribe']);
    assert.equal(isDaemonMethod('toString'), false);
    assert.equal(isDaemonEvent('constructor'), false);
    assert.ok(Object.keys(daemonEvents).every(isDaemonEvent));
  });

  it('reads server frames', () => {
    assert.equal(StreamServerFrame.safeParse({ id: 1, result: { ok: true } }).success, true);
    assert.equal(StreamServerFrame.safeParse({ id: null, error: { code: 'bad_request', message: 'x' } }).success, true);
    assert.equal(StreamServerFrame.safeParse({ id: 1, error: { code: 'nope', message: 'x' } }).success, false);
    assert.equal(daemonEvents['watch.batch'].safeParse({ cursor: 0, changes: [] }).success, false);
  });
});
