import { execFile, spawn } from 'node:child_process';
import { open, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Readable } from 'node:stream';
import Docker from 'dockerode';
import { lifecycleHarness } from '../server/reconcile/lifecycle.suite';
import { DockerRuntime } from '../server/runtime/docker/docker-runtime';
import { removeInstallation } from '../server/testing/docker-cleanup';
import { progress, summarize, timeIt, type Row } from './stats';

const MB = 1024 * 1024;
const run = promisify(execFile);
const BIG = 100 * MB;

/**
 * The `slipway:` file system's figures (extension -> server -> daemon), measured with the extension's
 * own client code against a RUNNING project of a server with a Docker runtime.
 */
export async function extensionFsBench(image: string, runs: number): Promise<Row[]> {
  const docker = new Docker();
  const harness = await lifecycleHarness(new DockerRuntime(docker), { sandboxImage: image, warmPool: 0, reconcile: { intervalMs: 1000, observeMs: 5000, leaseSeconds: 20, concurrency: 4 } });
  const installation = harness.s.reconciler!.ctx.installation;
  try {
    progress('extension fs');
    const project = await harness.create({ template: 'empty' });
    await harness.waitStatus(project.id, 'RUNNING');
    const rows = await fsBenchInOwnProcess(harness.s.url, harness.user.token, project.id, runs * 20);
    // Where a large file's time goes: the server ↔ daemon leg alone (measured from the server's
    // process), and the machine's own disk for the same bytes.
    const daemon = await harness.daemonOf(project.id);
    const chunks = () => Readable.from((function* () { for (let at = 0; at < BIG; at += MB) yield Buffer.alloc(MB, at / MB); })());
    const write = summarize(await timeIt(3, () => daemon.writeFile('.slipway-bench-big.bin', chunks()), 1));
    const read = summarize(await timeIt(3, async () => { let n = 0; for await (const c of await daemon.openFile('.slipway-bench-big.bin')) n += (c as Buffer).length; if (n !== BIG) throw new Error(`read ${n} bytes`); }, 1));
    const viaServer = await curlRead(`${harness.s.url}/api/projects/${project.id}/files?path=.slipway-bench-big.bin`, harness.user.token);
    await daemon.call('fs.delete', { path: '.slipway-bench-big.bin', recursive: false });
    const disk = await localDisk();
    const after = (prefix: string, extra: Row[]) => rows.splice(rows.findIndex((r) => r.what.startsWith(prefix)) + 1, 0, ...extra);
    after('FS read 100 MB', [
      ...(viaServer ? [{ what: `↳ daemon → server → curl, no Node client (${mbps(viaServer.p50)} MB/s)`, ours: viaServer }] : []),
      { what: `↳ daemon → server leg alone (${mbps(read.p50)} MB/s)`, ours: read },
      { what: `↳ this machine's disk: read 100 MB, page cache (${mbps(disk.read.p50)} MB/s)`, ours: disk.read },
    ]);
    after('FS write 100 MB', [
      { what: `↳ server → daemon leg alone (${mbps(write.p50)} MB/s)`, ours: write },
      { what: `↳ this machine's disk: write 100 MB + fdatasync (${mbps(disk.write.p50)} MB/s)`, ours: disk.write },
    ]);
    return rows;
  } finally {
    await harness.s.close();
    await removeInstallation(installation, docker);
  }
}

/** The editor's client runs in its own process, as in VS Code's extension host (see fs-bench-process.ts). */
async function fsBenchInOwnProcess(url: string, token: string, projectId: string, runs: number): Promise<Row[]> {
  const script = join(import.meta.dirname, '../extension/bench/fs-bench-process.ts');
  const env = { ...process.env, BENCH_SERVER_URL: url, BENCH_TOKEN: token, BENCH_PROJECT_ID: projectId, BENCH_FS_RUNS: String(runs) };
  const { stdout } = await run(process.execPath, ['--import', 'tsx', script], { env, maxBuffer: 16 * MB });
  return JSON.parse(stdout) as Row[];
}

const mbps = (ms: number) => Math.round(BIG / MB / (ms / 1000));

/** The same read through the server's route by curl (undefined without curl): the server's path without Node's fetch. */
async function curlRead(url: string, token: string) {
  if (!(await run('curl', ['--version']).then(() => true, () => false))) return undefined;
  // The token goes in on stdin (`-K -`), not on a command line others can list.
  const once = () => new Promise<void>((resolve, reject) => {
    const curl = spawn('curl', ['-sS', '-K', '-', '-o', '/dev/null', '-w', '%{size_download}', url], { stdio: ['pipe', 'pipe', 'inherit'] });
    let out = '';
    curl.stdout.on('data', (d: Buffer) => (out += d));
    curl.once('error', reject).once('close', () => (Number(out) === BIG ? resolve() : reject(new Error(`curl read ${out} bytes`))));
    curl.stdin.end(`header = "authorization: Bearer ${token}"\n`);
  });
  return summarize(await timeIt(3, once, 1));
}

/** Raw disk figures for 100 MB: written and synced (as the daemon's atomic write does), then read back. */
async function localDisk() {
  const file = join(tmpdir(), `slipway-bench-${process.pid}.bin`);
  const bytes = Buffer.alloc(BIG, 7);
  try {
    const write = summarize(await timeIt(3, async () => {
      const handle = await open(file, 'w');
      try { await handle.write(bytes); await handle.datasync(); } finally { await handle.close(); }
    }, 1));
    const read = summarize(await timeIt(3, async () => {
      const handle = await open(file, 'r');
      try { for await (const _ of handle.createReadStream({ highWaterMark: MB, autoClose: false })) { /* drained */ } } finally { await handle.close(); }
    }, 1));
    return { write, read };
  } finally {
    await rm(file, { force: true });
  }
}
