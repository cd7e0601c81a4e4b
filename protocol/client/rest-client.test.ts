import assert from 'node:assert/strict';
import { ClientError } from './client-error';
import { createRestClient, type FetchLike } from './rest-client';

const project = {
  id: '6f1c1a52-6d7c-4b8e-9d55-8a3c1f0e2b11', teamId: '0d6c2a5e-5b1f-4c9a-8f3e-2a1b3c4d5e6f', name: 'Todo', slug: 'todo-k3x8n2',
  template: 'web-app', desiredState: 'RUNNING', status: 'CREATING', statusMessage: null, version: 1,
  createdAt: '2025-01-01T00:00:00.000Z', updatedAt: '2025-01-01T00:00:00.000Z', database: null,
};

function fakeFetch(status: number, body: unknown) {
  const calls: { url: string; init: Parameters<FetchLike>[1] }[] = [];
  const fetch: FetchLike = async (url, init) => {
    calls.push({ url, init });
    const text = typeof body === 'string' ? body : body instanceof Uint8Array ? '' : JSON.stringify(body);
    return { status, text: async () => text, arrayBuffer: async () => (body instanceof Uint8Array ? body : new TextEncoder().encode(text)).slice().buffer };
  };
  return { fetch, calls };
}

describe('REST client', () => {
  it('fills path params and query, sends the protocol version and token, and validates the answer', async () => {
    const { fetch, calls } = fakeFetch(200, { items: [{ key: 'A', value: '1', secret: false, updatedAt: project.createdAt }], extra: 'dropped' });
    const call = createRestClient({ baseUrl: 'http://h:1/', fetch, token: () => 'slp_pat_x' });
    const result = await call('env.list', { params: { projectId: project.id } });
    assert.deepEqual(Object.keys(result), ['items']);
    assert.equal(calls[0]!.url, `http://h:1/api/projects/${project.id}/env`);
    assert.equal(calls[0]!.init.headers['x-slipway-protocol'], '1');
    assert.equal(calls[0]!.init.headers.authorization, 'Bearer slp_pat_x');
    const list = fakeFetch(200, { items: [project], nextCursor: null });
    await createRestClient({ baseUrl: 'http://h:1', fetch: list.fetch })('projects.list', { query: { teamId: project.teamId, limit: 5 } });
    assert.equal(list.calls[0]!.url, `http://h:1/api/projects?teamId=${project.teamId}&limit=5`);
  });

  it('sends JSON bodies and ZIP uploads with their content types, and encodes path params', async () => {
    const json = fakeFetch(200, { key: 'A_B', value: 'x', secret: true, updatedAt: project.createdAt });
    await createRestClient({ baseUrl: 'http://h', fetch: json.fetch })('env.put', { params: { projectId: project.id, key: 'A_B' }, body: { value: 'x', secret: true } });
    assert.equal(json.calls[0]!.init.method, 'PUT');
    assert.equal(json.calls[0]!.init.headers['content-type'], 'application/json');
    assert.deepEqual(JSON.parse(json.calls[0]!.init.body as string), { value: 'x', secret: true });
    const zip = fakeFetch(201, project);
    const bytes = new Uint8Array([80, 75, 5, 6]);
    await createRestClient({ baseUrl: 'http://h', fetch: zip.fetch })('projects.import', { query: { teamId: project.teamId, name: 'a b' }, body: bytes });
    assert.equal(zip.calls[0]!.init.headers['content-type'], 'application/zip');
    assert.equal(zip.calls[0]!.init.body, bytes);
    assert.match(zip.calls[0]!.url, /name=a\+b/);
  });

  it('moves a workspace file\'s bytes raw both ways, with a range, and keeps the server\'s reason', async () => {
    const entry = { path: 'a b.txt', name: 'a b.txt', type: 'file', isSymlink: false, size: 3, mtimeMs: 1, mode: 0o644 };
    const read = fakeFetch(200, new Uint8Array([1, 2, 3]));
    const got = await createRestClient({ baseUrl: 'http://h:1/', fetch: read.fetch, token: () => 'tok' })('files.read', { params: { projectId: project.id }, query: { path: 'dir/a b.txt', offset: 5, length: 3 } });
    assert.deepEqual(got, new Uint8Array([1, 2, 3]));
    assert.equal(read.calls[0]!.url, `http://h:1/api/projects/${project.id}/files?path=dir%2Fa+b.txt&offset=5&length=3`);
    assert.equal(read.calls[0]!.init.headers.authorization, 'Bearer tok');
    const write = fakeFetch(200, entry);
    const data = new Uint8Array([7, 8, 9]);
    assert.deepEqual(await createRestClient({ baseUrl: 'http://h', fetch: write.fetch })('files.write', { params: { projectId: project.id }, query: { path: 'a b.txt', createParents: 'true' }, body: data }), entry);
    assert.equal(write.calls[0]!.init.method, 'PUT');
    assert.equal(write.calls[0]!.init.body, data);
    assert.equal(write.calls[0]!.init.headers['content-type'], 'application/octet-stream');
    assert.match(write.calls[0]!.url, /createParents=true/);
    const folder = fakeFetch(400, { error: { code: 'bad_request', message: 'is a directory: src', reason: 'is_a_directory' } });
    await assert.rejects(
      createRestClient({ baseUrl: 'http://h', fetch: folder.fetch })('files.read', { params: { projectId: project.id }, query: { path: 'src' } }),
      (e) => ClientError.is(e, 'bad_request') && e.reason === 'is_a_directory' && e.status === 400,
    );
  });

  it('refuses invalid input before sending anything', async () => {
    const { fetch, calls } = fakeFetch(200, {});
    const call = createRestClient({ baseUrl: 'http://h', fetch });
    await assert.rejects(call('env.put', { params: { projectId: project.id, key: '1BAD' }, body: { value: '' } }), (e) => ClientError.is(e) && e.kind === 'request');
    assert.equal(calls.length, 0);
  });

  it('turns error bodies, foreign answers, wrong shapes and network failures into ClientErrors', async () => {
    const refused = createRestClient({ baseUrl: 'http://h', fetch: fakeFetch(426, { error: { code: 'unsupported_protocol', message: 'speaks 2' } }).fetch });
    await assert.rejects(refused('me.get', {}), (e) => ClientError.is(e, 'unsupported_protocol') && e.status === 426 && e.message === 'speaks 2');
    const html = createRestClient({ baseUrl: 'http://h', fetch: fakeFetch(200, '<html>').fetch });
    await assert.rejects(html('me.get', {}), (e) => ClientError.is(e) && e.kind === 'invalid');
    const wrong = createRestClient({ baseUrl: 'http://h', fetch: fakeFetch(200, { user: 1 }).fetch });
    await assert.rejects(wrong('me.get', {}), (e) => ClientError.is(e) && e.kind === 'invalid' && /does not match/.test(e.message));
    const notSlipway = createRestClient({ baseUrl: 'http://h', fetch: fakeFetch(404, { message: 'nope' }).fetch });
    await assert.rejects(notSlipway('me.get', {}), (e) => ClientError.is(e) && e.kind === 'invalid' && e.status === 404);
    const down = createRestClient({ baseUrl: 'http://h', fetch: async () => { throw Object.assign(new TypeError('fetch failed'), { cause: { code: 'ECONNREFUSED' } }); } });
    await assert.rejects(down('me.get', {}), (e) => ClientError.is(e) && e.kind === 'network' && /ECONNREFUSED/.test(e.message));
  });
});
