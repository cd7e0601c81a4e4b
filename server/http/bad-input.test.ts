import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { request } from 'node:http';
import { PROTOCOL_HEADER } from '../../protocol/version';
import { startTestServer, type TestServer } from '../testing/test-server';

describe('bad input over HTTP', () => {
  let s: TestServer;
  let token: string;
  let teamId: string;
  before(async () => {
    s = await startTestServer({ limits: { jsonBytes: 4096, zipBytes: 1 << 20, zipEntries: 100, unzippedBytes: 1 << 22, wsMessageBytes: 4096 } });
    ({ token, teamId } = await s.signUp('tester'));
  });
  after(async () => { await s.close(); });

  const isError = (body: unknown, code: string) => {
    assert.equal((body as { error: { code: string } }).error.code, code);
    assert.equal(typeof (body as { error: { message: string } }).error.message, 'string');
  };

  it('malformed JSON: 400 with a clear message', async () => {
    const res = await s.call('POST', '/api/projects', { token, raw: '{"teamId": ', headers: { 'content-type': 'application/json' } });
    assert.equal(res.status, 400);
    isError(res.body, 'bad_request');
  });

  it('oversized bodies: 413, whether declared or streamed', async () => {
    const res = await s.call('POST', '/api/projects', { token, body: { teamId, name: 'x'.repeat(10_000) } });
    assert.equal(res.status, 413);
    isError(res.body, 'payload_too_large');
    const streamed = await new Promise<number>((resolve, reject) => {
      const req = request(`${s.url}/api/projects`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', 'transfer-encoding': 'chunked' } }, (res) => { res.resume(); resolve(res.statusCode ?? 0); });
      req.on('error', reject);
      req.write('{"name":"');
      for (let i = 0; i < 10; i++) req.write('y'.repeat(1000));
      req.end('"}');
    });
    assert.equal(streamed, 413);
  });

  it('bodies must be application/json: 415 for text/plain or no type, declared or chunked', async () => {
    const send = (headers: Record<string, string>, chunked: boolean) => new Promise<{ status: number; body: string }>((resolve, reject) => {
      const req = request(`${s.url}/api/tokens`, { method: 'POST', headers: { authorization: `Bearer ${token}`, ...headers, ...(chunked && { 'transfer-encoding': 'chunked' }) } }, (res) => {
        let body = '';
        res.on('data', (c: Buffer) => (body += c)).on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      });
      req.on('error', reject);
      req.end('{"name":"smuggled"}');
    });
    for (const chunked of [true, false]) {
      for (const headers of [{ 'content-type': 'text/plain' }, {} as Record<string, string>, { 'content-type': 'application/x-www-form-urlencoded' }]) {
        const res = await send(headers, chunked);
        assert.equal(res.status, 415, `${JSON.stringify(headers)} chunked=${chunked}`);
        isError(JSON.parse(res.body), 'unsupported_media_type');
      }
    }
    // A route without a body schema refuses a non-JSON body too.
    const stop = await s.call('POST', `/api/projects/${randomUUID()}/start`, { token, raw: 'x=1', headers: { 'content-type': 'text/plain' } });
    assert.equal(stop.status, 415);
    assert.equal((await s.call('GET', '/api/tokens', { token })).body.items.length, 0, 'nothing was created');
    assert.equal((await send({ 'content-type': 'application/json; charset=utf-8' }, true)).status, 201);
  });

  it('invalid fields: 422 naming the field', async () => {
    const res = await s.call('POST', '/api/projects', { token, body: { teamId: 'not-a-uuid', name: '' } });
    assert.equal(res.status, 422);
    isError(res.body, 'validation_failed');
    assert.match(res.body.error.message, /teamId/);
    const wrongType = await s.call('POST', '/api/projects', { token, body: [1, 2, 3] });
    assert.equal(wrongType.status, 422);
    const badParam = await s.call('GET', '/api/projects/..%2F..%2Fetc', { token });
    assert.equal(badParam.status, 422);
  });

  it('unknown routes and methods: JSON errors, never HTML or stack traces', async () => {
    const none = await s.call('GET', '/api/nothing-here', { token });
    assert.equal(none.status, 404);
    isError(none.body, 'not_found');
    const method = await s.call('PUT', '/api/me', { token });
    assert.equal(method.status, 405);
    isError(method.body, 'method_not_allowed');
  });

  it('an unsupported protocol version is refused clearly', async () => {
    const res = await s.call('GET', '/api/me', { token, headers: { [PROTOCOL_HEADER]: '99' } });
    assert.equal(res.status, 426);
    isError(res.body, 'unsupported_protocol');
    assert.match(res.body.error.message, /protocol 1, not 99/);
    assert.equal(res.headers.get(PROTOCOL_HEADER), '1');
  });

  it('internal errors are logged, not returned', async () => {
    const original = s.services.sql;
    // Break the database for one request by querying through a closed pool.
    const broken = (await import('../db/database')).connect('postgres://nobody:nothing@127.0.0.1:1/none', { max: 1 });
    (s.services as { sql: typeof original }).sql = broken;
    try {
      const res = await s.call('GET', '/readyz');
      assert.equal(res.status, 503);
      isError(res.body, 'unavailable');
      assert.equal(res.body.error.reason, 'database_unavailable');
      assert.equal(res.headers.get('retry-after'), '5');
    } finally {
      (s.services as { sql: typeof original }).sql = original;
      await broken.end({ timeout: 1 });
    }
  });

  it('survives a burst of hostile requests and still answers', async () => {
    const hostile = [
      s.call('POST', '/api/auth/signin', { raw: '\u0000\u0001\u0002', headers: { 'content-type': 'application/json' } }),
      s.call('POST', '/api/auth/signin', { raw: '{"email":{"$ne":null},"password":{"$gt":""}}', headers: { 'content-type': 'application/json' } }),
      s.call('GET', `/api/projects?limit=-1`, { token }),
      s.call('GET', `/api/projects?limit=99999999999999999999`, { token }),
      s.call('GET', '/api/me', { headers: { authorization: `Bearer ${'x'.repeat(5000)}` } }),
      s.call('POST', '/api/tokens', { token, body: { name: 'x', expiresInDays: 1e308 } }),
      s.call('GET', '/api/projects/00000000-0000-0000-0000-000000000000', { token }),
    ];
    const statuses = (await Promise.all(hostile)).map((r) => r.status);
    for (const status of statuses) assert.ok(status >= 400 && status < 500, `got ${statuses.join(',')}`);
    assert.equal((await s.call('GET', '/healthz')).status, 200);
  });
});
