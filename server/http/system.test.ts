import assert from 'node:assert/strict';
import { restRoutes } from '../../protocol/rest/routes';
import { startTestServer, type TestServer } from '../testing/test-server';

describe('system endpoints', () => {
  let s: TestServer;
  before(async () => { s = await startTestServer(); });
  after(async () => { await s.close(); });

  it('healthz and readyz answer', async () => {
    assert.deepEqual((await s.call('GET', '/healthz')).body, { ok: true });
    assert.deepEqual((await s.call('GET', '/readyz')).body, { ok: true });
  });

  it('metrics are Prometheus text with request durations by route', async () => {
    await s.call('GET', '/healthz');
    const res = await s.call('GET', '/metrics');
    assert.match(res.headers.get('content-type') ?? '', /text\/plain/);
    assert.match(res.body, /slipway_http_request_duration_seconds_count\{method="GET",route="\/healthz",status="200"\} \d+/);
    const owner = await s.signUp('metrics');
    await s.call('POST', '/api/projects', { token: owner.token, body: { teamId: owner.teamId, name: 'counted' } });
    assert.match((await s.call('GET', '/metrics')).body, /slipway_projects\{status="CREATING"\} [1-9]/);
  });

  it('openapi.json describes every route of the protocol map', async () => {
    const doc = (await s.call('GET', '/api/openapi.json')).body;
    assert.equal(doc.openapi, '3.1.0');
    for (const [name, route] of Object.entries(restRoutes)) {
      const op = doc.paths[route.path.replace(/:(\w+)/g, '{$1}')]?.[route.method.toLowerCase()];
      assert.ok(op, `missing ${name}`);
      assert.equal(op.operationId, name);
    }
    const signUp = doc.paths['/api/auth/signup'].post;
    assert.ok(signUp.requestBody.content['application/json'].schema.properties.password);
  });

  it('serves the sign-in page with a strict CSP and no token in it', async () => {
    const res = await s.call('GET', '/signin');
    assert.match(res.headers.get('content-security-policy') ?? '', /default-src 'none'/);
    assert.match(res.body, /Sign in to Slipway/);
  });
});
