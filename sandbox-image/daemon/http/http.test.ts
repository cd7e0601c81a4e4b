import assert from 'node:assert/strict';
import { request } from 'node:http';
import { connect } from 'node:net';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import WebSocket from 'ws';
import { DaemonClient } from '../../../server/daemon-client/daemon-client';
import { DaemonClientError } from '../../../server/daemon-client/daemon-client-error';
import type { TestDaemon } from '../testing/test-daemon';
import { startTestDaemon } from '../testing/test-daemon';

interface Raw {
  status: number;
  body: string;
  headers: Record<string, string | string[] | undefined>;
}

function raw(t: TestDaemon, method: string, target: string, options: { headers?: Record<string, string>; body?: string | Buffer } = {}): Promise<Raw> {
  return new Promise((resolve, reject) => {
    const req = request(`${t.daemon.url}${target}`, { method, headers: options.headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString(), headers: res.headers }));
    });
    req.on('error', reject);
    req.end(options.body);
  });
}

const auth = (t: TestDaemon): Record<string, string> => ({ authorization: `Bearer ${t.token}`, 'content-type': 'application/json' });

describe('daemon http', () => {
  let t: TestDaemon;
  beforeEach(async () => {
    t = await startTestDaemon({ maxFileBytes: 1024 * 1024 });
  });
  afterEach(async () => t.stop());

  it('answers 401 with no detail to a missing or wrong token, on every route', async () => {
    const wrong: Record<string, string>[] = [{}, { authorization: 'Bearer nope' }, { authorization: `Bearer ${t.token}x` }, { authorization: t.token }, { authorization: `Basic ${t.token}` }];
    for (const headers of wrong) {
      for (const [method, target] of [['GET', '/health'], ['POST', '/rpc/fs.list'], ['GET', '/files?path=a'], ['PUT', '/files?path=a'], ['GET', '/nowhere']] as const) {
        const answer = await raw(t, method, target, { headers, body: method === 'GET' ? undefined : '{}' });
        assert.equal(answer.status, 401, `${method} ${target}`);
        assert.deepEqual(JSON.parse(answer.body), { error: { code: 'unauthorized', message: 'unauthorized' } });
      }
    }
    assert.deepEqual(await readdir(t.workspace), [], 'an unauthorized PUT wrote something');
    const bad = new DaemonClient({ baseUrl: t.daemon.url, token: 'wrong-token-wrong-token' });
    await assert.rejects(bad.health(), (e: unknown) => e instanceof DaemonClientError && e.code === 'unauthorized' && e.status === 401);
    await assert.rejects(bad.connect(), (e: unknown) => e instanceof DaemonClientError && e.code === 'unauthorized');
    bad.close();
    const health = await t.client.health();
    assert.equal(health.ok, true);
  });

  it('refuses the stream WebSocket without the token', async () => {
    const status = await new Promise<number>((resolve, reject) => {
      const ws = new WebSocket(`${t.daemon.url.replace('http', 'ws')}/stream`);
      ws.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
      ws.on('open', () => reject(new Error('opened without a token')));
      ws.on('error', () => undefined);
    });
    assert.equal(status, 401);
  });

  it('answers malformed JSON, wrong params and unknown methods with 4xx, and keeps serving', async () => {
    const cases: Array<[string, string, number, string]> = [
      ['/rpc/fs.stat', '{"path": ', 400, 'bad_request'],
      ['/rpc/fs.stat', 'not json at all', 400, 'bad_request'],
      ['/rpc/fs.stat', '{"path": 42}', 422, 'validation_failed'],
      ['/rpc/fs.stat', '[]', 422, 'validation_failed'],
      ['/rpc/fs.list', '{"limit": -1}', 422, 'validation_failed'],
      ['/rpc/no.such', '{}', 404, 'not_found'],
      ['/rpc/__proto__', '{}', 404, 'not_found'],
      ['/rpc/pty.subscribe', '{"terminalId":"term_1"}', 400, 'bad_request'],
    ];
    for (const [target, body, status, code] of cases) {
      const answer = await raw(t, 'POST', target, { headers: auth(t), body });
      assert.equal(answer.status, status, `${target} ${body}`);
      assert.equal(JSON.parse(answer.body).error.code, code);
    }
    const wrongType = await raw(t, 'POST', '/rpc/health', { headers: { ...auth(t), 'content-type': 'text/plain' }, body: '{}' });
    assert.equal(wrongType.status, 415);
    const wrongVersion = await raw(t, 'GET', '/health', { headers: { ...auth(t), 'x-slipway-protocol': '99' } });
    assert.equal(wrongVersion.status, 426);
    assert.equal((await t.client.health()).ok, true);
  });

  it('answers oversized bodies with 413 and keeps serving', async () => {
    const huge = JSON.stringify({ path: 'x'.repeat(2 * 1024 * 1024) });
    const answer = await raw(t, 'POST', '/rpc/fs.stat', { headers: auth(t), body: huge });
    assert.equal(answer.status, 413);
    assert.equal(JSON.parse(answer.body).error.code, 'payload_too_large');
    const chunked = await new Promise<number>((resolve, reject) => {
      const req = request(`${t.daemon.url}/rpc/fs.stat`, { method: 'POST', headers: auth(t) }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      req.on('error', reject);
      for (let i = 0; i < 40; i++) req.write('x'.repeat(64 * 1024));
      req.end();
    });
    assert.equal(chunked, 413);
    await assert.rejects(t.client.writeFile('big.bin', Buffer.alloc(2 * 1024 * 1024)), (e: unknown) => e instanceof DaemonClientError && e.status === 413);
    assert.deepEqual(await readdir(t.workspace), []);
    assert.equal((await t.client.health()).ok, true);
  });

  it('survives garbage on the socket and an upload cut off halfway, leaving the old file', async () => {
    await t.client.writeFile('keep.txt', 'original');
    await new Promise<void>((resolve) => {
      const socket = connect(t.daemon.port, '127.0.0.1', () => socket.end('\x00\x01 NOT HTTP\r\n\r\n'));
      socket.on('close', () => resolve());
      socket.on('error', () => resolve());
    });
    await new Promise<void>((resolve) => {
      const req = request(`${t.daemon.url}/files?path=keep.txt`, { method: 'PUT', headers: { ...auth(t), 'content-length': '100000' } });
      req.on('error', () => resolve());
      req.write('partial');
      setTimeout(() => {
        req.destroy();
        resolve();
      }, 100);
    });
    await new Promise((r) => setTimeout(r, 100));
    assert.equal(await readFile(path.join(t.workspace, 'keep.txt'), 'utf8'), 'original');
    assert.deepEqual(await readdir(t.workspace), ['keep.txt'], 'a temp file was left behind');
    assert.equal((await t.client.health()).ok, true);
  });

  it('rejects bad stream frames without closing the stream', async () => {
    const stream = await t.client.connect();
    const problems: string[] = [];
    stream.onProtocolError = (message) => problems.push(message);
    const ws = (stream as unknown as { socket: WebSocket }).socket;
    ws.send('{not json');
    ws.send(JSON.stringify({ id: 'x', method: 1 }));
    const health = await stream.call('health', {});
    assert.equal(health.ok, true);
    await assert.rejects(stream.call('no.such' as 'health', {}), (e: unknown) => e instanceof DaemonClientError && e.code === 'not_found');
    assert.equal(problems.length, 2);
    stream.close();
  });
});
