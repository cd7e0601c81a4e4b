import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { request } from 'node:http';
import { callApi, dockerProcessFixture, type ProcessFixture } from '../testing/process-fixture';
import { rssGrowthDuring } from '../testing/rss-growth';
import { startServerProcess, type ServerProcess } from '../testing/server-process';
import { waitFor } from '../testing/wait-for';

const MiB = 1024 * 1024;
const SIZE = 240 * MiB;
/**
 * What the server may grow by while the file passes through it. Chunks it passed on are freed when V8
 * collects them, which it forces once ~64 MiB of them are waiting (whatever the file's size), so
 * streaming peaks near that; a buffer of the whole file alone would be 240 MiB.
 */
const BOUND = 120 * MiB;

/** The i-th MiB of the test file: different bytes in every MiB, so a reordered or lost chunk shows. */
const mib = (i: number): Buffer => Buffer.alloc(MiB, `chunk ${i} of the large file. `);

/** A real server process passing 240 MiB files (under the 256 MiB default limit) between a client and a real Docker sandbox. */
describe('editor reads and writes of large files (server process, Docker)', function () {
  this.timeout(5 * 60_000);
  let f: ProcessFixture;
  let server: ServerProcess;
  let token: string;
  let projectId: string;
  let url: URL;

  before(async function () {
    this.timeout(20 * 60_000);
    f = await dockerProcessFixture(this);
    server = await startServerProcess(f.env, { warmPool: 0, signup: 'open' });
    token = (await callApi(server.url, 'POST', '/api/auth/signup', undefined, { email: 'big@example.com', password: 'a long password' })).body.accessToken;
    const teamId = (await callApi(server.url, 'GET', '/api/me', token)).body.teams[0].id;
    projectId = (await callApi(server.url, 'POST', '/api/projects', token, { teamId, name: 'big', template: 'empty' })).body.id;
    await waitFor(async () => (await callApi(server.url, 'GET', `/api/projects/${projectId}`, token)).body.status === 'RUNNING', { timeoutMs: 120_000, what: 'the project running' });
    url = new URL(`${server.url}/api/projects/${projectId}/files?path=big.bin`);
  });
  after(async () => {
    await server?.stop();
    await f?.drop();
  });

  it('streams a 240 MiB upload to the sandbox with bounded server memory, and a slow reader holds the download back', async () => {
    const pid = server.child.pid!;
    const sent = createHash('sha256');
    // Written as a client would, honouring backpressure: the upload is never whole in this process either.
    const upload = await rssGrowthDuring(pid, () => new Promise<void>((resolve, reject) => {
      const req = request(url, { method: 'PUT', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/octet-stream', 'content-length': String(SIZE) } }, (res) => {
        let body = '';
        res.on('data', (c: Buffer) => (body += c));
        res.on('end', () => (res.statusCode === 200 ? resolve() : reject(new Error(`PUT answered ${res.statusCode}: ${body}`))));
      });
      req.on('error', reject);
      let i = 0;
      const more = (): void => {
        while (i < SIZE / MiB) {
          const chunk = mib(i++);
          sent.update(chunk);
          if (!req.write(chunk)) return void req.once('drain', more);
        }
        req.end();
      };
      more();
    }));
    assert.ok(upload < BOUND, `the server grew by ${Math.round(upload / MiB)} MiB while a ${SIZE / MiB} MiB upload passed through`);

    // The reader takes 1 MiB, then stops for a while: were the server to read ahead of it, the whole
    // file would pile up in the server during the pauses.
    const received = createHash('sha256');
    let length = 0;
    const download = await rssGrowthDuring(pid, () => new Promise<void>((resolve, reject) => {
      request(url, { headers: { authorization: `Bearer ${token}` } }, (res) => {
        assert.equal(res.statusCode, 200);
        assert.equal(res.headers['content-length'], String(SIZE));
        let sincePause = 0;
        res.on('data', (chunk: Buffer) => {
          received.update(chunk);
          length += chunk.length;
          sincePause += chunk.length;
          if (sincePause >= MiB && length < 30 * MiB) {
            sincePause = 0;
            res.pause();
            setTimeout(() => res.resume(), 40);
          }
        });
        res.on('end', resolve);
        res.on('error', reject);
      }).on('error', reject).end();
    }));
    assert.equal(length, SIZE);
    assert.equal(received.digest('hex'), sent.digest('hex'), 'the file read back differs from the one written');
    assert.ok(download < BOUND, `the server grew by ${Math.round(download / MiB)} MiB while a slow reader read ${SIZE / MiB} MiB`);
  });

  it('refuses an upload over the size limit and keeps the file it had', async () => {
    const before = (await callApi(server.url, 'GET', `/api/projects/${projectId}`, token)).status;
    assert.equal(before, 200);
    const status = await new Promise<number>((resolve, reject) => {
      const req = request(url, { method: 'PUT', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/octet-stream', 'content-length': String(2 * 1024 * MiB) } }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      req.on('error', reject);
      req.end();
    });
    assert.equal(status, 413);
    const head = await fetch(`${url.href}&offset=0&length=16`, { headers: { authorization: `Bearer ${token}` } });
    assert.equal(Buffer.from(await head.arrayBuffer()).toString(), mib(0).subarray(0, 16).toString());
  });
});
