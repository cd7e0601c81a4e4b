import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { restRoutes } from '../../protocol/rest/routes';
import type { RouteDef } from '../../protocol/rest/route';
import { wsMethods } from '../../protocol/ws';
import { startTestServer, type TestServer } from '../testing/test-server';
import { openTestSocket, type TestSocket } from '../testing/ws-client';

const NUL = 'a\u0000b';
type Path = (string | number)[];
type JsonSchema = { type?: string | string[]; enum?: unknown[]; const?: unknown; properties?: Record<string, JsonSchema>; additionalProperties?: JsonSchema | boolean; propertyNames?: JsonSchema; items?: JsonSchema; anyOf?: JsonSchema[]; oneOf?: JsonSchema[]; allOf?: JsonSchema[] };

/** Every place a schema takes a string (record keys included, as `[key]`). */
function stringPaths(schema: JsonSchema, path: Path = []): Path[] {
  const out: Path[] = [];
  const types = [schema.type ?? []].flat();
  if (types.includes('string') || schema.enum?.some((v) => typeof v === 'string') || typeof schema.const === 'string') out.push(path);
  for (const alt of [...(schema.anyOf ?? []), ...(schema.oneOf ?? []), ...(schema.allOf ?? [])]) out.push(...stringPaths(alt, path));
  for (const [key, value] of Object.entries(schema.properties ?? {})) out.push(...stringPaths(value, [...path, key]));
  if (typeof schema.additionalProperties === 'object') {
    out.push([...path, '[key]']);
    out.push(...stringPaths(schema.additionalProperties, [...path, 'K']));
  }
  if (schema.items) out.push(...stringPaths(schema.items, [...path, 0]));
  return out;
}

/** A value with NUL at `path` (or in a key, for `[key]`), and nothing else. */
function withNul(path: Path): unknown {
  if (path.length === 0) return NUL;
  const [head, ...rest] = path;
  if (head === '[key]') return { [NUL]: 'x' };
  if (typeof head === 'number') return [withNul(rest)];
  return { [head!]: withNul(rest) };
}

const schemaOf = (schema: z.ZodType) => z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as JsonSchema;
const label = (path: Path) => path.join('.') || '(whole)';

/** #8 item 7: a NUL in any string a client sends is a 400 naming the field, never a 500. */
describe('NUL bytes in strings', function () {
  this.timeout(60_000);
  let s: TestServer;
  let user: Awaited<ReturnType<TestServer['signUp']>>;
  let projectId: string;
  let sock: TestSocket;

  before(async () => {
    s = await startTestServer();
    user = await s.signUp('nul');
    projectId = (await s.call('POST', '/api/projects', { token: user.token, body: { teamId: user.teamId, name: 'nul', start: false } })).body.id;
    sock = await openTestSocket(s.url, user.token);
  });
  after(async () => {
    await sock?.close();
    await s?.close();
  });

  const expectNul = (res: { status: number; body: any }, what: string, where: RegExp) => {
    assert.equal(res.status, 400, `${what}: ${res.status} ${JSON.stringify(res.body)}`);
    assert.equal(res.body.error.code, 'bad_request', what);
    assert.match(res.body.error.message, where, what);
    assert.match(res.body.error.message, /NUL/, what);
  };

  it('every REST route: each string field of the body, each path and query parameter', async () => {
    let checked = 0;
    for (const [name, route] of Object.entries(restRoutes) as [string, RouteDef][]) {
      const pathFor = (nulParam?: string) => route.path.replace(/:(\w+)/g, (_, p: string) => (p === nulParam ? 'a%00b' : p === 'key' ? 'KEY' : randomUUID()));
      for (const param of Object.keys(route.params?.shape ?? {})) {
        expectNul(await s.call(route.method, pathFor(param), { token: user.token }), `${name} path ${param}`, new RegExp(`path\\.${param}`));
        checked++;
      }
      for (const key of Object.keys(route.query?.shape ?? {})) {
        expectNul(await s.call(route.method, `${pathFor()}?${key}=a%00b`, { token: user.token }), `${name} query ${key}`, new RegExp(`query\\.${key}`));
        checked++;
      }
      if (!route.body || route.bodyType === 'zip' || route.bodyType === 'bytes') continue;
      for (const path of stringPaths(schemaOf(route.body))) {
        expectNul(await s.call(route.method, pathFor(), { token: user.token, body: withNul(path) }), `${name} body ${label(path)}`, /body/);
        checked++;
      }
    }
    assert.ok(checked > 40, `checked ${checked} fields`);
  });

  it('every WebSocket method: each string field of its params', async () => {
    let checked = 0;
    for (const [method, def] of Object.entries(wsMethods)) {
      for (const path of stringPaths(schemaOf(def.params))) {
        const reply = await sock.request(method, withNul(path));
        assert.equal(reply.error?.code, 'bad_request', `${method} ${label(path)}: ${JSON.stringify(reply)}`);
        assert.match(reply.error!.message, /^params.*NUL/, method);
        checked++;
      }
    }
    assert.ok(checked > 20, `checked ${checked} fields`);
  });

  it('otherwise valid requests from the issue: 400 and nothing stored', async () => {
    const token = user.token;
    const chatId = (await s.call('POST', `/api/projects/${projectId}/chats`, { token, body: {} })).body.id;
    const cases: [string, string, unknown][] = [
      ['POST', '/api/projects', { teamId: user.teamId, name: NUL, start: false }],
      ['PATCH', `/api/projects/${projectId}`, { name: NUL }],
      ['POST', '/api/teams', { name: NUL }],
      ['PATCH', `/api/teams/${user.teamId}`, { name: NUL }],
      ['POST', '/api/tokens', { name: NUL }],
      ['POST', `/api/projects/${projectId}/chats`, { title: NUL }],
      ['PUT', `/api/projects/${projectId}/env/API_KEY`, { value: NUL }],
      ['PUT', `/api/projects/${projectId}/env/SECRET_KEY`, { value: NUL, secret: true }],
      ['POST', '/api/auth/signup', { email: 'nul-signup@example.com', password: 'a long password', name: NUL }],
      ['PUT', `/api/teams/${user.teamId}/model`, { kind: 'openai', model: NUL, apiKey: 'sk-abc' }],
      ['PUT', `/api/teams/${user.teamId}/model`, { kind: 'openai', model: 'm', apiKey: NUL }],
      ['POST', `/api/chats/${chatId}/messages`, { text: NUL }],
      ['PUT', `/api/projects/${projectId}/agent`, { checks: [{ name: NUL, command: 'npm test' }] }],
    ];
    for (const [method, path, body] of cases) expectNul(await s.call(method, path, { token, body }), `${method} ${path} ${JSON.stringify(body)}`, /body\./);
    const ws: [string, unknown][] = [
      ['chats.create', { projectId, title: NUL }],
      ['chat.send', { chatId, text: NUL }],
      ['workspace.stat', { projectId, path: NUL }],
      ['terminal.open', { projectId, env: { A: NUL } }],
    ];
    for (const [method, params] of ws) assert.equal((await sock.request(method, params)).error?.code, 'bad_request', method);
    const [stored] = await s.db.sql<{ n: number }[]>`
      SELECT (SELECT count(*) FROM project_env) + (SELECT count(*) FROM api_tokens) + (SELECT count(*) FROM users WHERE email = 'nul-signup@example.com')
           + (SELECT count(*) FROM team_model_settings) + (SELECT count(*) FROM chats WHERE title <> 'New chat') AS n`;
    assert.equal(Number(stored!.n), 0, 'nothing was stored');
  });
});
