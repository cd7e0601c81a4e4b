import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import yazl from 'yazl';
import { callApi, dockerProcessFixture, type ProcessFixture } from '../testing/process-fixture';
import { rssBytes } from '../testing/rss-growth';
import { startServerProcess, type ServerProcess } from '../testing/server-process';
import { waitFor } from '../testing/wait-for';

const MiB = 1024 * 1024;
const ZEROS = 320 * MiB;

/** A ZIP with one entry of `size` zeros, built as a stream (it compresses to well under 1 MB). */
function zerosZip(size: number): Promise<Buffer> {
  const zip = new yazl.ZipFile();
  let left = size;
  const chunk = Buffer.alloc(MiB);
  zip.addReadStream(new Readable({ read() { const n = Math.min(MiB, left); left -= n; this.push(n ? chunk.subarray(0, n) : null); } }), 'big/zeros.bin');
  zip.addBuffer(Buffer.from('{"name":"big"}'), 'big/package.json');
  zip.end();
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    zip.outputStream.on('data', (c: Buffer) => chunks.push(c)).on('end', () => resolve(Buffer.concat(chunks))).on('error', reject);
  });
}

/** A real server process importing a ZIP bomb-like archive into a real Docker sandbox. */
describe('ZIP import with large entries (server process, Docker)', function () {
  this.timeout(5 * 60_000);
  let f: ProcessFixture;
  let server: ServerProcess;
  let archive: Buffer;
  let token: string;
  let teamId: string;

  before(async function () {
    this.timeout(20 * 60_000);
    f = await dockerProcessFixture(this);
    server = await startServerProcess(f.env, { warmPool: 0, signup: 'open', limits: { concurrentImports: 1 }, rateLimits: { import: { limit: 100, windowSeconds: 60 } } });
    archive = await zerosZip(ZEROS);
    token = (await callApi(server.url, 'POST', '/api/auth/signup', undefined, { email: 'zip@example.com', password: 'a long password' })).body.accessToken;
    teamId = (await callApi(server.url, 'GET', '/api/me', token)).body.teams[0].id;
  });
  after(async () => {
    await server?.stop();
    await f?.drop();
  });

  const upload = (name: string) => fetch(`${server.url}/api/projects/import?teamId=${teamId}&name=${name}`, {
    method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/zip' }, body: new Uint8Array(archive),
  });

  it('validates and unpacks a 320 MiB entry into the sandbox with bounded server memory', async () => {
    assert.ok(archive.length < MiB, `the archive is ${archive.length} bytes`);
    const pid = server.child.pid!;
    const baseline = rssBytes(pid);
    let peak = baseline;
    const sampler = setInterval(() => { peak = Math.max(peak, rssBytes(pid)); }, 20);
    try {
      const res = await upload('big');
      const body = await res.json() as { id: string };
      assert.equal(res.status, 201, JSON.stringify(body));
      await waitFor(async () => {
        const [row] = await f.db.sql<{ status: string; statusMessage: string | null }[]>`SELECT status, status_message FROM projects WHERE id = ${body.id}`;
        if (row?.status === 'ERROR') throw new Error(`project went to ERROR: ${row.statusMessage}`);
        return row?.status === 'RUNNING';
      }, { timeoutMs: 180_000, what: 'the imported project running' });
      // The last bytes of the entry are in the workspace, at the right offset.
      const tail = await fetch(`${server.url}/api/projects/${body.id}/files?path=zeros.bin&offset=${ZEROS - 4}&length=4`, { headers: { authorization: `Bearer ${token}` } });
      assert.equal(tail.status, 200);
      assert.deepEqual(Buffer.from(await tail.arrayBuffer()), Buffer.alloc(4));
      const beyond = await fetch(`${server.url}/api/projects/${body.id}/files?path=zeros.bin&offset=${ZEROS}&length=4`, { headers: { authorization: `Bearer ${token}` } });
      const extra = beyond.status === 200 ? (await beyond.arrayBuffer()).byteLength : 0;
      assert.equal(extra, 0, 'the file is longer than the entry');
    } finally {
      clearInterval(sampler);
    }
    const growth = peak - baseline;
    assert.ok(growth < 150 * MiB, `the server grew by ${Math.round(growth / MiB)} MiB while importing a ${ZEROS / MiB} MiB entry`);
  });

  it('refuses imports beyond the concurrency bound with 429 and Retry-After, and takes the rest', async () => {
    const answers = await Promise.all([1, 2, 3].map((i) => upload(`again-${i}`)));
    const statuses = answers.map((a) => a.status).sort();
    assert.ok(statuses.includes(201), `statuses: ${statuses}`);
    const busy = answers.filter((a) => a.status === 429);
    assert.ok(busy.length >= 1, `statuses: ${statuses}`);
    assert.ok(Number(busy[0]!.headers.get('retry-after')) >= 1);
    assert.match(((await busy[0]!.json()) as { error: { message: string } }).error.message, /busy/);
    assert.ok(answers.every((a) => a.status === 201 || a.status === 429), `statuses: ${statuses}`);
    assert.equal((await fetch(`${server.url}/healthz`)).status, 200);
  });
});
