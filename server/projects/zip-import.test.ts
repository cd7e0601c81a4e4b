import assert from 'node:assert/strict';
import { deflateRawSync } from 'node:zlib';
import yazl from 'yazl';
import { startTestServer, type TestServer } from '../testing/test-server';
import { readZip } from './zip-archive';

function zipOf(files: { name: string; data?: string | Buffer; mode?: number }[]): Promise<Buffer> {
  const zip = new yazl.ZipFile();
  for (const f of files) zip.addBuffer(Buffer.from(f.data ?? ''), f.name, f.mode ? { mode: f.mode } : {});
  zip.end();
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    zip.outputStream.on('data', (c: Buffer) => chunks.push(c)).on('end', () => resolve(Buffer.concat(chunks))).on('error', reject);
  });
}

/** yazl refuses to write evil names, so hostile archives are patched after the fact (same length). */
function rename(archive: Buffer, from: string, to: string): Buffer {
  assert.equal(from.length, to.length);
  const out = Buffer.from(archive);
  let at = out.indexOf(from);
  while (at !== -1) {
    out.write(to, at);
    at = out.indexOf(from, at + 1);
  }
  return out;
}

describe('ZIP import', () => {
  let s: TestServer;
  let user: Awaited<ReturnType<TestServer['signUp']>>;
  before(async () => {
    s = await startTestServer({ limits: { jsonBytes: 1024 * 1024, zipBytes: 256 * 1024, zipEntries: 50, unzippedBytes: 1024 * 1024, wsMessageBytes: 1024 * 1024 } });
    user = await s.signUp('importer');
  });
  after(async () => { await s.close(); });

  const upload = (archive: Buffer, name = 'imported') =>
    s.call('POST', `/api/projects/import?teamId=${user.teamId}&name=${name}`, { token: user.token, raw: new Uint8Array(archive), headers: { 'content-type': 'application/zip' } });
  const projectCount = async () => Number((await s.db.sql`SELECT count(*)::int AS n FROM projects`)[0]!.n);

  it('imports a folder archive, strips its top folder, and keeps the validated files', async () => {
    const archive = await zipOf([{ name: 'my-app/package.json', data: '{"name":"x"}' }, { name: 'my-app/src/index.js', data: 'console.log(1)' }]);
    const res = await upload(archive);
    assert.equal(res.status, 201);
    assert.equal(res.body.template, 'import');
    const [source] = await s.db.sql<{ entries: number; bytes: string }[]>`SELECT entries, bytes FROM project_sources WHERE project_id = ${res.body.id}`;
    assert.equal(source!.entries, 2);
    const paths: string[] = [];
    await readZip(archive, { entries: 10, unzippedBytes: 1e6 }, async (f) => { paths.push(f.path); f.stream.resume(); });
    assert.deepEqual(paths, ['package.json', 'src/index.js']);
  });

  it('refuses zip-slip entries (../ and absolute) and creates nothing', async () => {
    const before = await projectCount();
    const dotdot = rename(await zipOf([{ name: 'aa/aa/evil.sh', data: 'x' }]), 'aa/aa/evil.sh', '../../evil.sh');
    const slip = await upload(dotdot);
    assert.equal(slip.status, 400);
    assert.match(slip.body.error.message, /outside the project folder/);
    const absolute = rename(await zipOf([{ name: 'xetc/passwd', data: 'x' }]), 'xetc/passwd', '/etc/passwd');
    assert.equal((await upload(absolute)).status, 400);
    const backslash = rename(await zipOf([{ name: 'aa/aa/evil.sh', data: 'x' }]), 'aa/aa/evil.sh', '..\\..\\evil.sh');
    assert.equal((await upload(backslash)).status, 400);
    assert.equal(await projectCount(), before);
  });

  it('refuses symbolic links', async () => {
    const res = await upload(await zipOf([{ name: 'link', data: '/etc/passwd', mode: 0o120777 }]));
    assert.equal(res.status, 400);
    assert.match(res.body.error.message, /symbolic link/);
  });

  it('refuses oversized uploads, too many entries, and bombs whose headers lie', async () => {
    const big = await upload(Buffer.alloc(300 * 1024, 1));
    assert.equal(big.status, 413);
    const many = await upload(await zipOf(Array.from({ length: 60 }, (_, i) => ({ name: `f${i}.txt`, data: 'x' }))));
    assert.equal(many.status, 400);
    assert.match(many.body.error.message, /60 entries/);
    const bomb = await upload(await zipOf([{ name: 'zeros.bin', data: Buffer.alloc(2 * 1024 * 1024) }]));
    assert.equal(bomb.status, 400);
    assert.match(bomb.body.error.message, /unpacks to more than/);
    // A header that claims 1 byte while the data inflates to 2 MB.
    const liar = await zipOf([{ name: 'small.txt', data: Buffer.alloc(2 * 1024 * 1024) }]);
    const patched = Buffer.from(liar);
    for (let at = patched.indexOf('PK\x01\x02'); at !== -1; at = patched.indexOf('PK\x01\x02', at + 1)) patched.writeUInt32LE(1, at + 24);
    for (let at = patched.indexOf('PK\x03\x04'); at !== -1; at = patched.indexOf('PK\x03\x04', at + 1)) patched.writeUInt32LE(1, at + 22);
    assert.equal((await upload(patched)).status, 400);
    assert.ok(deflateRawSync(Buffer.alloc(10)).length > 0);
  });

  it('refuses an archive with a path that is both a file and a folder, naming both', async () => {
    const before = await projectCount();
    const clash = await upload(await zipOf([{ name: 'a', data: 'file' }, { name: 'a/b', data: 'inside' }]));
    assert.equal(clash.status, 400);
    assert.match(clash.body.error.message, /"a" as a file and "a\/b" inside it/);
    const folderEntry = await upload(await zipOf([{ name: 'p/x/y.txt', data: '1' }, { name: 'p/x', data: '2' }]));
    assert.equal(folderEntry.status, 400);
    assert.match(folderEntry.body.error.message, /"x" as a file and "x\/y.txt"/);
    assert.equal(await projectCount(), before);
  });

  it('streams entries to the receiver, and still stops a bomb that lies while being unpacked', async () => {
    const archive = await zipOf([{ name: 'one.txt', data: 'hello' }, { name: 'zeros.bin', data: Buffer.alloc(900 * 1024) }]);
    const sizes: Record<string, number> = {};
    await readZip(archive, { entries: 10, unzippedBytes: 1e6 }, async (f) => {
      sizes[f.path] = 0;
      for await (const chunk of f.stream) sizes[f.path]! += (chunk as Buffer).length;
    });
    assert.deepEqual(sizes, { 'one.txt': 5, 'zeros.bin': 900 * 1024 });
    const liar = Buffer.from(await zipOf([{ name: 'small.txt', data: Buffer.alloc(2 * 1024 * 1024) }]));
    for (let at = liar.indexOf('PK\x01\x02'); at !== -1; at = liar.indexOf('PK\x01\x02', at + 1)) liar.writeUInt32LE(1, at + 24);
    for (let at = liar.indexOf('PK\x03\x04'); at !== -1; at = liar.indexOf('PK\x03\x04', at + 1)) liar.writeUInt32LE(1, at + 22);
    await assert.rejects(readZip(liar, { entries: 10, unzippedBytes: 1e6 }, async (f) => { for await (const _ of f.stream) { /* drain */ } }), /ZIP|unpacks|size/);
  });

  it('refuses garbage, empty bodies and the wrong content type, and stays up', async () => {
    assert.equal((await upload(Buffer.from('this is not a zip'))).status, 400);
    assert.equal((await upload(Buffer.alloc(0))).status, 400);
    const wrongType = await s.call('POST', `/api/projects/import?teamId=${user.teamId}&name=x`, { token: user.token, raw: 'x', headers: { 'content-type': 'text/plain' } });
    assert.equal(wrongType.status, 415);
    const otherTeam = await s.signUp('other');
    const foreign = await s.call('POST', `/api/projects/import?teamId=${otherTeam.teamId}&name=x`, { token: user.token, raw: new Uint8Array(await zipOf([{ name: 'a', data: 'b' }])), headers: { 'content-type': 'application/zip' } });
    assert.equal(foreign.status, 404);
    assert.equal((await s.call('GET', '/healthz')).status, 200);
  });
});
