import assert from 'node:assert/strict';
import { ClientError } from '../../protocol/client/client-error';
import { FileBytes } from './file-bytes';

describe('file bytes over HTTP', () => {
  const entry = { path: 'a b.txt', name: 'a b.txt', type: 'file', isSymlink: false, size: 3, mtimeMs: 1, mode: 0o644 };
  const record = (respond: () => Response) => {
    const calls: { url: string; init: RequestInit }[] = [];
    const fetch = (async (url: string, init: RequestInit) => {
      calls.push({ url, init });
      return respond();
    }) as typeof globalThis.fetch;
    return { calls, bytes: new FileBytes('http://server:1/', () => 'tok', fetch) };
  };

  it('reads raw bytes, with the token and protocol version, and a range', async () => {
    const { calls, bytes } = record(() => new Response(new Uint8Array([1, 2, 3])));
    assert.deepEqual(await bytes.read('p1', 'dir/a b.txt', { offset: 5, length: 3 }), new Uint8Array([1, 2, 3]));
    assert.equal(calls[0]!.url, 'http://server:1/api/projects/p1/files?path=dir%2Fa+b.txt&offset=5&length=3');
    const headers = calls[0]!.init.headers as Record<string, string>;
    assert.equal(headers.authorization, 'Bearer tok');
    assert.ok(headers['x-slipway-protocol']);
  });

  it('writes an octet-stream body and returns the entry', async () => {
    const { calls, bytes } = record(() => Response.json(entry));
    assert.deepEqual(await bytes.write('p1', 'a b.txt', new Uint8Array([7, 8, 9]), true), entry);
    assert.equal(calls[0]!.init.method, 'PUT');
    assert.match(calls[0]!.url, /createParents=true/);
    assert.equal((calls[0]!.init.headers as Record<string, string>)['content-type'], 'application/octet-stream');
  });

  it('turns the server\'s error body and network failures into ClientErrors', async () => {
    const missing = record(() => Response.json({ error: { code: 'not_found', message: 'no such file or directory: x' } }, { status: 404 }));
    await assert.rejects(missing.bytes.read('p1', 'x'), (e: unknown) => ClientError.is(e, 'not_found') && e.message === 'no such file or directory: x');
    const down = new FileBytes('http://server:1', () => undefined, (async () => { throw Object.assign(new TypeError('fetch failed'), { cause: { code: 'ECONNREFUSED' } }); }) as typeof fetch);
    await assert.rejects(down.read('p1', 'x'), (e: unknown) => ClientError.is(e) && e.kind === 'network' && /ECONNREFUSED/.test(e.message));
  });
});
