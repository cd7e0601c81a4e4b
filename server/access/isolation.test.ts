import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { request } from 'node:http';
import type { RouteDef } from '../../protocol/rest/route';
import { restRoutes, type RouteName } from '../../protocol/rest/routes';
import { wsMethods, type WsMethod } from '../../protocol/ws';
import { projectEnvironment } from '../projects/env-handlers';
import { startTestServer, type TestServer } from '../testing/test-server';
import { openTestSocket, type TestSocket } from '../testing/ws-client';

/** The keys an object schema takes (through refinements and pipes), when it has a shape. */
function shapeOf(schema: unknown): Record<string, unknown> | undefined {
  const s = schema as { shape?: Record<string, unknown>; def?: { in?: unknown; schema?: unknown; innerType?: unknown } };
  if (s.shape) return s.shape;
  const inner = s.def?.in ?? s.def?.schema ?? s.def?.innerType;
  return inner ? shapeOf(inner) : undefined;
}

/**
 * Every WebSocket method and every REST route that names a team, project or chat, called by
 * someone outside the team with the ids of another team's project, chat, checkpoint and approval:
 * each answers not found (they may not learn it exists) and changes nothing; so does a preview
 * host of that project. A new method or route fails this test until it is given sample params here.
 */
describe('isolation: every WebSocket method and REST route refuses a foreign user', function () {
  this.timeout(30_000);
  let s: TestServer;
  let owner: Awaited<ReturnType<TestServer['signUp']>> & { userId?: string };
  let theirs: TestSocket;
  const ids = { projectId: '', chatId: '', checkpointId: '', approvalId: randomUUID(), teamId: '' };
  let slug = '';

  before(async () => {
    s = await startTestServer();
    owner = await s.signUp('owner');
    ids.teamId = owner.teamId;
    owner.userId = (await s.call('GET', '/api/me', { token: owner.token })).body.user.id;
    const created = (await s.call('POST', '/api/projects', { token: owner.token, body: { teamId: owner.teamId, name: 'secret', start: false, database: true } })).body;
    ids.projectId = created.id;
    slug = created.slug;
    const mine = await openTestSocket(s.url, owner.token);
    ids.chatId = (await mine.request('chats.create', { projectId: ids.projectId, title: 'secret chat' })).result.chat.id;
    await mine.close();
    const [checkpoint] = await s.db.sql<{ id: string }[]>`
      INSERT INTO checkpoints (project_id, chat_id, commit, message, files) VALUES (${ids.projectId}, ${ids.chatId}, ${'a'.repeat(40)}, 'secret', '{}') RETURNING id`;
    ids.checkpointId = checkpoint!.id;
    const outsider = await s.signUp('outsider');
    theirs = await openTestSocket(s.url, outsider.token);
  });
  after(async () => {
    await theirs?.close();
    await s?.close();
  });

  /** Valid params beyond the ids, so only access can refuse the call. */
  const extras: Partial<Record<WsMethod, Record<string, unknown>>> = {
    'workspace.stat': { path: 'README.md' },
    'workspace.list': { path: '.' },
    'workspace.mkdir': { path: 'hijacked' },
    'workspace.rename': { from: 'README.md', to: 'hijacked.md' },
    'workspace.copy': { from: 'README.md', to: 'hijacked.md' },
    'workspace.delete': { path: 'README.md' },
    'terminal.attach': { terminalId: 'term_1' },
    'terminal.detach': { terminalId: 'term_1' },
    'terminal.input': { terminalId: 'term_1', data: 'rm -rf /\r' },
    'terminal.resize': { terminalId: 'term_1', cols: 80, rows: 24 },
    'terminal.close': { terminalId: 'term_1' },
    'chat.send': { text: 'hijacked' },
    'chat.approve': { approved: true },
    'chat.setModel': { modelId: null },
    'git.show': { path: 'README.md' },
    'git.diff': { path: 'README.md' },
    'git.stage': { paths: ['README.md'] },
    'git.unstage': { paths: ['README.md'] },
    'git.discard': { paths: ['README.md'] },
    'git.commit': { message: 'hijacked' },
    'git.switch': { branch: 'main' },
  };

  it('answers not_found to every method that names another team\'s project, chat, checkpoint or team', async () => {
    const methods = (Object.keys(wsMethods) as WsMethod[]).filter((m) => m !== 'ping');
    assert.ok(methods.length >= 30, `only ${methods.length} methods`);
    const answers: Record<string, string> = {};
    for (const method of methods) {
      const shape = shapeOf(wsMethods[method].params);
      const params: Record<string, unknown> = { ...extras[method] };
      for (const key of Object.keys(ids) as (keyof typeof ids)[]) if (!shape || key in shape) params[key] = ids[key];
      const checked = wsMethods[method].params.safeParse(params);
      assert.ok(checked.success, `add sample params for ${method}: ${checked.success ? '' : checked.error.message}`);
      const reply = await theirs.request(method, params);
      answers[method] = reply.error?.code ?? 'ok';
      assert.doesNotMatch(JSON.stringify(reply), /secret/, method);
    }
    assert.deepEqual(Object.entries(answers).filter(([, code]) => code !== 'not_found'), []);
  });

  /** Valid bodies and queries, so only access can refuse the call. */
  const bodies: Partial<Record<RouteName, unknown>> = {
    'teams.update': { name: 'hijacked' }, 'teams.addMember': { email: 'x@example.com', role: 'member' }, 'teams.updateMember': { role: 'admin' },
    'teams.invite': { email: 'x@example.com', role: 'member' }, 'projects.update': { name: 'hijacked' }, 'projects.preview': { port: 3000 },
    'env.put': { value: 'hijacked' }, 'agent.model.put': { kind: 'openai', model: 'hijacked', apiKey: 'sk-hijacked' },
    'agent.models.add': { name: 'hijacked', kind: 'openai', model: 'hijacked', apiKey: 'sk-hijacked' },
    'teams.cluster.put': { kubeconfig: 'apiVersion: v1', namespace: 'taken' },
    'agent.settings.put': { approvals: { write: 'ask' } }, 'chats.create': { title: 'hijacked' }, 'chats.send': { text: 'hijacked' },
    'mcp.settings.put': { servers: { evil: { command: 'curl', args: ['http://attacker'] } } },
    'database.dump': { path: 'hijacked.dump' }, 'database.restore': { path: 'hijacked.dump' },
  };
  const queries: Partial<Record<RouteName, () => string>> = {
    'files.read': () => '?path=README.md', 'files.write': () => '?path=README.md', 'projects.list': () => `?teamId=${ids.teamId}`,
    'projects.import': () => `?teamId=${ids.teamId}&name=hijacked`, 'teams.audit': () => '', 'agent.usage': () => '', 'chats.events': () => '',
  };

  it('answers 404 on every REST route that names another team, project or chat', async () => {
    const outsider = await s.signUp('walker');
    const password = (await projectEnvironment(s.services, ids.projectId)).PGPASSWORD!;
    assert.ok(password, 'the project has a database');
    const names = (Object.entries(restRoutes) as [RouteName, RouteDef][])
      .filter(([, r]) => /:(teamId|projectId|chatId)\b/.test(r.path) || (r.query && 'teamId' in r.query.shape));
    assert.ok(names.length >= 30, `only ${names.length} routes`);
    const statuses: Record<string, number> = {};
    for (const [name, route] of names) {
      assert.ok(!route.body || name in bodies, `add a sample body for ${name}`);
      assert.ok(!route.query || name in queries, `add a sample query for ${name}`);
      const path = route.path.replace(':teamId', ids.teamId).replace(':projectId', ids.projectId).replace(':chatId', ids.chatId)
        .replace(':userId', owner.userId!).replace(':invitationId', randomUUID()).replace(':key', 'API_KEY').replace(':modelId', randomUUID()) + (queries[name]?.() ?? '');
      const res = route.bodyType === 'zip' || route.bodyType === 'bytes'
        ? await s.call(route.method, path, { token: outsider.token, raw: 'hijacked', headers: { 'content-type': route.bodyType === 'zip' ? 'application/zip' : 'application/octet-stream' } })
        : await s.call(route.method, path, { token: outsider.token, body: bodies[name] });
      statuses[`${route.method} ${route.path}`] = res.status;
      assert.doesNotMatch(JSON.stringify(res.body), /secret|hijacked/, name);
      assert.ok(!JSON.stringify(res.body).includes(password), `${name} leaks the database password`);
    }
    assert.deepEqual(Object.entries(statuses).filter(([, status]) => status !== 404), []);
  });

  /** A request to a preview host (`<port>-<slug>.localhost`), with the status and body it gets. */
  const preview = (slugOf: string, headers: Record<string, string>) => new Promise<{ status: number; body: string }>((resolve, reject) => {
    const url = new URL(s.url);
    const req = request({ host: url.hostname, port: url.port, path: '/', headers: { host: `3000-${slugOf}.localhost:${url.port}`, ...headers } }, (res) => {
      let body = '';
      res.setEncoding('utf8').on('data', (chunk: string) => { body += chunk; }).on('end', () => resolve({ status: res.statusCode!, body }));
    });
    req.on('error', reject).end();
  });

  it('answers a foreign user\'s preview request 404, as for a project that does not exist', async () => {
    const outsider = await s.signUp('viewer');
    const theirsAnswer = await preview(slug, { authorization: `Bearer ${outsider.token}` });
    const noneAnswer = await preview('no-such-project', { authorization: `Bearer ${outsider.token}` });
    assert.equal(theirsAnswer.status, 404);
    assert.deepEqual(theirsAnswer, noneAnswer, 'the answer does not tell the project exists');
    // The owner, by contrast, is told it is not running: the 404 above is access, not the project's state.
    assert.equal((await preview(slug, { authorization: `Bearer ${owner.token}` })).status, 503);
  });

  it('changed nothing of theirs', async () => {
    const mine = await openTestSocket(s.url, owner.token);
    const { result } = await mine.request('chat.subscribe', { chatId: ids.chatId, fromSeq: 0 });
    assert.equal(result.lastSeq, 0, 'no event was added to their chat');
    const [row] = await s.db.sql<{ name: string; desiredState: string }[]>`SELECT name, desired_state FROM projects WHERE id = ${ids.projectId}`;
    assert.deepEqual(row, { name: 'secret', desiredState: 'STOPPED' });
    const chats = await mine.request('chats.list', { projectId: ids.projectId });
    assert.equal(chats.result.chats.length, 1);
    const [team] = await s.db.sql<{ name: string }[]>`SELECT name FROM teams WHERE id = ${ids.teamId}`;
    assert.notEqual(team!.name, 'hijacked');
    assert.equal((await s.db.sql`SELECT 1 FROM team_model_settings WHERE team_id = ${ids.teamId}`).length, 0);
    assert.equal((await s.db.sql`SELECT 1 FROM project_env WHERE project_id = ${ids.projectId}`).length, 0);
    const databases = await s.db.sql<{ desired: string }[]>`SELECT desired FROM project_databases WHERE project_id = ${ids.projectId}`;
    assert.deepEqual(databases.map((d) => d.desired), ['PRESENT'], 'their database is still wanted');
    await mine.close();
  });
});
