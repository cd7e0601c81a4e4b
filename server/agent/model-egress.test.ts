import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { loadConfig, modelEgressPolicy } from '../config';
import { EgressGuard } from '../net/egress-policy';
import { startTestServer, type TestServer } from '../testing/test-server';
import { agentTestConfig } from './testing/agent-config';
import { ChatTestClient, ofType } from './testing/chat-client';
import { startOpenAIScriptServer } from './testing/openai-script-server';
import type { ScriptServer } from './testing/script-server';

const KEY = 'sk-test-agent-0123456789';

/** A tiny HTTP server on a loopback address (this machine only). */
async function httpServer(host: string, handle: Parameters<typeof createServer>[1]): Promise<{ server: Server; url: string }> {
  const server = createServer(handle);
  await new Promise<void>((resolve) => server.listen(0, host, resolve));
  return { server, url: `http://${host}:${(server.address() as AddressInfo).port}` };
}

/** Team model endpoints may not reach the server's own network unless the admin allows it (#8 item 1). */
describe('team model endpoints: no requests to loopback, private or link-local addresses', function () {
  this.timeout(20_000);
  let s: TestServer;
  let model: ScriptServer;
  let owner: Awaited<ReturnType<TestServer['signUp']>>;
  let projectId: string;
  let redirector: { server: Server; url: string };
  let leaky: { server: Server; url: string };
  const clients: ChatTestClient[] = [];

  before(async () => {
    model = await startOpenAIScriptServer([], { apiKey: KEY });
    const port = new URL(model.baseUrl).port;
    // On 127.0.0.2, which the admin allows below: it redirects to the (refused) model on 127.0.0.1.
    redirector = await httpServer('127.0.0.2', (req, res) => {
      res.writeHead(307, { location: `http://127.0.0.1:${port}${req.url}` }).end();
    });
    // On 127.0.0.3 (allowed): an internal service answering with its own error body.
    leaky = await httpServer('127.0.0.3', (req, res) => {
      req.resume();
      const status = req.url?.includes('five') ? 500 : 400;
      res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify({ error: { message: 'INTERNAL-BODY: db password is hunter2, see http://10.0.0.7/admin' } }));
    });
    s = await startTestServer({ agent: agentTestConfig(null, { modelHostAllowList: ['127.0.0.2/32', '127.0.0.3'] }) });
    owner = await s.signUp('ssrf');
    projectId = (await s.call('POST', '/api/projects', { token: owner.token, body: { teamId: owner.teamId, name: 'ssrf', start: false } })).body.id;
  });
  after(async () => {
    await Promise.all(clients.map((c) => c.close()));
    await s?.close();
    await model?.close();
    redirector?.server.close();
    leaky?.server.close();
  });

  const put = (baseUrl: string) =>
    s.call('PUT', `/api/teams/${owner.teamId}/model`, { token: owner.token, body: { kind: 'openai', model: 'test-model', baseUrl, apiKey: KEY } });

  /** Sends a prompt in a new chat and returns the turn's events once it is done. */
  async function chat(text = 'hi') {
    const c = await ChatTestClient.open(s.url, owner.token);
    clients.push(c);
    const { chat } = await c.request<{ chat: { id: string } }>('chats.create', { projectId });
    await c.request('chat.subscribe', { chatId: chat.id, fromSeq: 0 });
    const { turnId } = await c.request<{ turnId: string }>('chat.send', { chatId: chat.id, text });
    const done = await c.done(chat.id, turnId);
    return { done, events: c.of(chat.id) };
  }

  it('refuses at save a baseUrl on loopback, link-local, private or a name resolving to loopback (400)', async () => {
    const port = new URL(model.baseUrl).port;
    for (const baseUrl of [
      model.baseUrl, `http://localhost:${port}/v1`, `http://[::1]:${port}/v1`, `http://[::ffff:127.0.0.1]:${port}/v1`,
      'http://169.254.169.254/latest', 'http://10.1.2.3/v1', 'http://192.168.1.1/v1', 'http://172.17.0.1:7777/api',
      'http://100.64.0.1/v1', `http://0.0.0.0:${port}/v1`, 'http://[fd00::1]/v1', 'http://[fe80::1]/v1', `http://2130706433:${port}/v1`,
    ]) {
      const res = await put(baseUrl);
      assert.equal(res.status, 400, `${baseUrl}: ${JSON.stringify(res.body)}`);
      assert.equal(res.body.error.code, 'bad_request');
      assert.match(res.body.error.message, /baseUrl: .*loopback, private/);
    }
    assert.equal((await s.call('GET', `/api/teams/${owner.teamId}/model`, { token: owner.token })).body.source, 'none', 'nothing was saved');
    assert.equal((await put('http://8.8.8.8/v1')).status, 200, 'a public address is fine');
    assert.equal(model.requests.length, 0);
  });

  it('refuses at use a loopback endpoint that got past the save check (DNS rebinding), before any connection', async () => {
    const cases = [['openai', model.baseUrl], ['openai', model.baseUrl.replace('127.0.0.1', 'localhost')], ['anthropic', model.baseUrl.replace('/v1', '')]];
    for (const [kind, baseUrl] of cases) {
      await s.db.sql`
        INSERT INTO team_model_settings (team_id, kind, model, base_url, updated_by)
        VALUES (${owner.teamId}, ${kind!}, 'test-model', ${baseUrl!}, (SELECT id FROM users WHERE email = ${owner.email}))
        ON CONFLICT (team_id) DO UPDATE SET kind = excluded.kind, base_url = excluded.base_url`;
      const { done, events } = await chat();
      assert.equal(done.status, 'failed');
      const [error] = ofType(events, 'error');
      assert.equal(error?.code, 'endpoint_not_allowed', JSON.stringify(error));
      assert.match(error!.message, /loopback, private or link-local/);
    }
    assert.equal(model.requests.length, 0, 'the loopback model was never asked');
  });

  it('refuses a redirect from an allowed endpoint to loopback', async () => {
    assert.equal((await put(`${redirector.url}/v1`)).status, 200, 'the admin allowed 127.0.0.2');
    const { done, events } = await chat();
    assert.equal(done.status, 'failed');
    const [error] = ofType(events, 'error');
    assert.equal(error?.code, 'endpoint_not_allowed');
    assert.match(error!.message, /^The model endpoint at 127\.0\.0\.2:\d+ redirected to 127\.0\.0\.1, which is or resolves to a loopback/, 'names the redirect, not the allowed endpoint');
    assert.equal(model.requests.length, 0, 'the redirect target was never reached');
  });

  it('shows a short classified message, never the remote error body', async () => {
    for (const path of ['/v1', '/five/v1']) {
      assert.equal((await put(`${leaky.url}${path}`)).status, 200, 'a name on the allow-list passes');
      const { done, events } = await chat();
      assert.equal(done.status, 'failed');
      const text = JSON.stringify(events);
      assert.doesNotMatch(text, /INTERNAL-BODY|hunter2|10\.0\.0\.7/);
      const [error] = ofType(events, 'error');
      assert.match(error!.message, path === '/v1' ? /rejected the request \(HTTP 400\)\.$/ : /unavailable right now \(HTTP 500\)/);
    }
  });

  it('works once the admin allows the host explicitly', async () => {
    const allowed = await startTestServer({ agent: agentTestConfig(null, { modelHostAllowList: ['127.0.0.1/32'] }) });
    try {
      const u = await allowed.signUp('lab');
      assert.equal((await allowed.call('PUT', `/api/teams/${u.teamId}/model`, { token: u.token, body: { kind: 'openai', model: 'test-model', baseUrl: model.baseUrl, apiKey: KEY } })).status, 200);
    } finally {
      await allowed.close();
    }
  });
});

describe('the model egress settings', () => {
  it('come from the config file or the environment, and refuse a malformed CIDR', () => {
    const config = loadConfig({ SLIPWAY_MODEL_HOST_ALLOWLIST: 'ollama.lan, *.corp ,10.0.0.0/8', SLIPWAY_ALLOW_PRIVATE_MODEL_HOSTS: 'false' });
    assert.deepEqual(modelEgressPolicy(config), { allowPrivate: false, allow: ['ollama.lan', '*.corp', '10.0.0.0/8'] });
    assert.equal(loadConfig({ SLIPWAY_ALLOW_PRIVATE_MODEL_HOSTS: '1' }).agent.allowPrivateModelHosts, true);
    assert.deepEqual(modelEgressPolicy(loadConfig({})), { allowPrivate: false, allow: [] }, 'refused by default');
    assert.throws(() => loadConfig({ SLIPWAY_MODEL_HOST_ALLOWLIST: '10.0.0.0/99' }), /modelHostAllowList/);
  });

  it('judge names and addresses: public passes; loopback, private, link-local, mapped and allowed ranges as configured', () => {
    const guard = new EgressGuard({ allowPrivate: false, allow: ['*.corp', '10.1.0.0/16'] });
    for (const address of ['127.0.0.1', '::1', '10.0.0.1', '172.16.5.4', '192.168.0.1', '169.254.169.254', '100.64.0.1', '0.0.0.0', 'fd00::1', 'fe80::1', '::ffff:127.0.0.1', '224.0.0.1', '64:ff9b::7f00:1']) {
      assert.equal(guard.allowsAddress(address), false, address);
    }
    for (const address of ['8.8.8.8', '2606:4700:4700::1111', '10.1.2.3']) assert.equal(guard.allowsAddress(address), true, address);
    assert.ok(guard.allowsName('ollama.corp'));
    assert.ok(!guard.allowsName('corp.evil.example'));
  });
});

describe("the server default model's URL", () => {
  let s: TestServer;
  before(async () => { s = await startTestServer({ agent: agentTestConfig('http://127.0.0.1:9/internal/v1') }); });
  after(async () => { await s.close(); });

  it('is shown to server admins only; the server default itself may be on loopback', async () => {
    const member = await s.signUp('member');
    const seen = await s.call('GET', `/api/teams/${member.teamId}/model`, { token: member.token });
    assert.equal(seen.status, 200);
    assert.equal(seen.body.source, 'server');
    assert.equal(seen.body.baseUrl, null);
    assert.doesNotMatch(JSON.stringify(seen.body), /127\.0\.0\.1|internal/);
    const admin = await s.call('POST', '/api/auth/redeem', { body: { token: s.firstRun!.token } });
    const teamId = (await s.call('GET', '/api/me', { token: admin.body.accessToken })).body.teams[0].id;
    const adminView = await s.call('GET', `/api/teams/${teamId}/model`, { token: admin.body.accessToken });
    assert.equal(adminView.body.baseUrl, 'http://127.0.0.1:9/internal/v1');
  });
});
