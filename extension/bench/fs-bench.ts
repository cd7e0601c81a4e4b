import { SocketClient } from '../../protocol/client/socket-client';
import { connectWithWs } from '../connection/ws-transport';
import { whenOpen } from '../connection/when-open';
import { TerminalSession } from '../terminals/terminal-session';
import { restClientFor } from '../connection/rest';
import { WorkspaceClient } from '../remote-fs/workspace-client';
import { summarize, timeIt, type Row } from '../../bench/stats';

const BIG_MB = 100;

/** Bench-only code (never bundled into the extension): it shares the statistics of bench/. */
const time = async (runs: number, fn: () => Promise<unknown>, warmup = 3) => summarize(await timeIt(runs, fn, warmup));

/** Runs `script` in a sandbox terminal (the same bridge as the editor's terminals) until `done` prints. */
async function inTerminal(socket: SocketClient, projectId: string, script: string, done: RegExp): Promise<void> {
  let output = '';
  let finished!: () => void;
  const printed = new Promise<void>((resolve) => (finished = resolve));
  const session = new TerminalSession(socket, projectId, { write: (d) => { output += d; if (done.test(output)) finished(); }, ended: () => finished() });
  await session.open(200, 50);
  session.input(`${script}\r`);
  await Promise.race([printed, new Promise((_, reject) => setTimeout(() => reject(new Error(`the terminal did not print ${done}: ${output.slice(-500)}`)), 120_000))]);
  session.close();
}

/**
 * The `slipway:` file system's path, from Node, with the provider's own client code: stat and
 * small-file read round trips (extension -> server -> daemon), reading a 100 MB file, and listing a
 * 10 000-file tree. Works in (and cleans up) `.slipway-bench/` of a RUNNING project.
 */
export async function fsBench(serverUrl: string, token: string, projectId: string, runs = 200): Promise<Row[]> {
  const socket = new SocketClient({ baseUrl: serverUrl, token: () => token, connect: connectWithWs, heartbeatMs: 0 });
  socket.start();
  try {
    await whenOpen(socket, 15_000);
    const client = new WorkspaceClient(socket, restClientFor(serverUrl, () => token));
    const dir = '.slipway-bench';
    await client.write(projectId, `${dir}/small.txt`, new Uint8Array(1024).fill(97), true);
    const stat = await time(runs, () => client.stat(projectId, `${dir}/small.txt`));
    const read = await time(runs, () => client.read(projectId, `${dir}/small.txt`));
    // The same client's cheapest authenticated call (credential checked, one query, no sandbox).
    const rest = restClientFor(serverUrl, () => token);
    const me = await time(runs, () => rest('me.get', {}));

    const big = new Uint8Array(BIG_MB * 1024 * 1024).map((_, i) => i % 251);
    const write100 = await time(3, () => client.write(projectId, `${dir}/big.bin`, big), 0);
    const read100 = await time(5, async () => {
      const bytes = await client.read(projectId, `${dir}/big.bin`);
      if (bytes.length !== big.length) throw new Error(`read ${bytes.length} bytes of ${big.length}`);
    }, 1);

    await inTerminal(socket, projectId, `mkdir -p ${dir}/tree && cd ${dir}/tree && for d in $(seq 0 99); do mkdir -p d$d && (cd d$d && touch $(seq -f f%g 0 99)); done; cd - >/dev/null; echo "TREE-$((5*5))"`, /TREE-25/);
    const list = await time(10, async () => {
      const listed = await client.list(projectId, `${dir}/tree`, { recursive: true, limit: 20_000 });
      if (listed.entries.length < 10_100) throw new Error(`listed ${listed.entries.length} entries`);
    }, 1);
    await client.delete(projectId, dir, true);

    const mbps = (ms: number) => Math.round(BIG_MB / (ms / 1000));
    return [
      { what: 'FS stat round trip (extension → server → daemon)', ours: stat, goal: '≤ 3 ms p50' },
      { what: 'FS read 1 KB file round trip', ours: read, baseline: { label: 'GET /api/me, same client (auth, one query)', ...me }, goal: '≤ 1 ms p50' },
      { what: `FS read ${BIG_MB} MB file (${mbps(read100.p50)} MB/s at p50)`, ours: read100, goal: '≥ 500 MB/s' },
      { what: `FS write ${BIG_MB} MB file (${mbps(write100.p50)} MB/s at p50)`, ours: write100, goal: '≥ 400 MB/s' },
      { what: 'FS list a 10 000-file tree (100 dirs × 100 files, recursive)', ours: list },
    ];
  } finally {
    socket.stop();
  }
}
