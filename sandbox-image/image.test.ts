// Checks the sandbox image (sandbox-image/Dockerfile, built by sandbox-image/build.sh) for real:
// every container runs under the restrictions the server applies to sandboxes, so the image is
// proven to work under them.
//
// Needs a Docker engine (`bash .ci/docker.sh` sets one up); without one the suite is skipped.
// The image is built first (seconds when it is up to date). SLIPWAY_TEST_SANDBOX_IMAGE=<ref> tests an
// existing image instead, without building.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { requireDocker } from '../server/testing/docker';

const execFileAsync = promisify(execFile);
const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** The restrictions every sandbox container runs under. */
const RESTRICTED = [
  '--cap-drop', 'ALL',
  '--security-opt', 'no-new-privileges',
  '--pids-limit', '256',
  '--memory', '512m',
];

async function docker(args: string[], timeout = 60_000): Promise<string> {
  try {
    const { stdout } = await execFileAsync('docker', args, { timeout, maxBuffer: 16 << 20 });
    return stdout;
  } catch (err) {
    const e = err as { stderr?: string; stdout?: string; message: string };
    throw new Error(`docker ${args.join(' ')} failed: ${e.message}\n${e.stdout ?? ''}\n${e.stderr ?? ''}`);
  }
}

describe('sandbox image', function () {
  let image = '';

  /** Runs a command in a fresh restricted container (through the image's tini entrypoint). */
  function run(...command: string[]): Promise<string> {
    return docker(['run', '--rm', ...RESTRICTED, image, ...command]).then((s) => s.trim());
  }
  const sh = (script: string) => run('bash', '-c', script);

  before(async function () {
    this.timeout(20 * 60_000);
    await requireDocker(this);
    if (process.env.SLIPWAY_TEST_SANDBOX_IMAGE) {
      image = process.env.SLIPWAY_TEST_SANDBOX_IMAGE;
      return;
    }
    try {
      const { stdout } = await execFileAsync('bash', [path.join(ROOT, 'sandbox-image/build.sh')], {
        cwd: ROOT,
        maxBuffer: 256 << 20,
        timeout: 20 * 60_000,
      });
      image = stdout.trim().split('\n').pop() ?? '';
    } catch (err) {
      const e = err as { stderr?: string; message: string };
      const tail = (e.stderr ?? '').split('\n').slice(-40).join('\n');
      throw new Error(`sandbox-image/build.sh failed: ${e.message}\n${tail}`);
    }
    assert.match(image, /^slipway-sandbox:/);
  });

  it('is configured to run the daemon as slipway (1000:1000) in /workspace under tini', async function () {
    const [config] = JSON.parse(await docker(['image', 'inspect', image])) as Array<{
      Config: { User: string; WorkingDir: string; Entrypoint: string[]; Cmd: string[]; Env: string[]; Labels: Record<string, string> };
    }>;
    assert.ok(config);
    const c = config.Config;
    assert.equal(c.User, '1000:1000');
    assert.equal(c.WorkingDir, '/workspace');
    assert.deepEqual(c.Entrypoint, ['/usr/bin/tini', '--']);
    assert.deepEqual(c.Cmd, ['env', 'MALLOC_ARENA_MAX=1', 'MALLOC_TRIM_THRESHOLD_=131072', 'node', '--max-semi-space-size=1', '--lite-mode', '/opt/slipway/daemon.cjs']);
    assert.ok(c.Env.includes('SLIPWAY_WORKSPACE=/workspace'), c.Env.join(' '));
    assert.ok(c.Env.includes('SLIPWAY_DAEMON_PORT=7070'), c.Env.join(' '));
    assert.match(c.Labels['dev.slipway.inputs'] ?? '', /^[0-9a-f]{64}$/);
  });

  it('runs as uid/gid 1000 (slipway), not root, with HOME and /workspace', async function () {
    const out = await sh('echo "$(id -u) $(id -g) $(id -un) $HOME $(pwd)"');
    assert.equal(out, '1000 1000 slipway /home/slipway /workspace');
  });

  it('has Node 24 and npm', async function () {
    const out = await sh('node --version && npm --version && node -p "process.getuid()"');
    const [node, npm, uid] = out.split('\n');
    assert.match(node ?? '', /^v24\.\d+\.\d+$/);
    assert.match(npm ?? '', /^\d+\.\d+\.\d+$/);
    assert.equal(uid, '1000');
  });

  it('has git, ripgrep, python3, gcc/g++/make, curl, procps, and can compile and run C', async function () {
    const out = await sh(
      [
        'set -e',
        'git --version', 'rg --version | head -n1', 'python3 --version', 'gcc --version | head -n1',
        'g++ --version | head -n1', 'make --version | head -n1', 'curl --version | head -n1', 'ps --version',
        'printf "int main(void){return 42;}" | gcc -x c - -o /tmp/a.out',
        '/tmp/a.out || echo "c-exit=$?"',
      ].join('\n'),
    );
    for (const re of [/^git version /m, /^ripgrep /m, /^Python 3\./m, /^gcc /m, /^g\+\+ /m, /^GNU Make /m, /^curl /m, /procps/m]) {
      assert.match(out, re);
    }
    assert.match(out, /^c-exit=42$/m);
  });

  it('has the PostgreSQL client tools for the project database: psql, pg_dump, pg_restore', async function () {
    const out = await sh('psql --version && pg_dump --version && pg_restore --version');
    assert.match(out, /^psql \(PostgreSQL\) 15\.\d+.*\npg_dump \(PostgreSQL\) 15\.\d+.*\npg_restore \(PostgreSQL\) 15\.\d+/);
  });

  it('gives uid 1000 a writable /workspace and home', async function () {
    const out = await sh('stat -c "%u:%g" /workspace /home/slipway && touch /workspace/f ~/f && echo ok');
    assert.equal(out, '1000:1000\n1000:1000\nok');
  });

  it('loads node-pty and runs a process in a pseudo-terminal', async function () {
    const script = `
      const pty = require('/opt/slipway/node_modules/node-pty');
      const p = pty.spawn('/bin/bash', ['-c', 'tty >/dev/null && echo pty-ok-$(id -u)'], { cols: 80, rows: 24, cwd: '/workspace', env: process.env });
      let out = '';
      p.onData((d) => { out += d; });
      p.onExit((e) => { console.log(JSON.stringify({ out: out.trim(), code: e.exitCode })); });`;
    const out = await run('node', '-e', script);
    assert.deepEqual(JSON.parse(out), { out: 'pty-ok-1000', code: 0 });
  });

  it('has tini as PID 1 reaping orphans', async function () {
    // A grandchild orphaned by its parent is re-parented to PID 1, which must reap it.
    const out = await sh('(sleep 0.2 &); sleep 1; echo "$(ps -o comm= -p 1) zombies=$(ps -eo stat= | grep -c "^Z" || true)"');
    assert.equal(out, 'tini zombies=0');
  });

  it("trusts the build machine's CA bundle (system store and Node)", async function () {
    // The last certificate of the host bundle (local additions come last) must be in the image's.
    const host = readFileSync('/etc/ssl/certs/ca-certificates.crt', 'utf8');
    const certs = host.match(/-----BEGIN CERTIFICATE-----[^-]+-----END CERTIFICATE-----/g) ?? [];
    const last = certs.at(-1);
    assert.ok(last, 'no certificate in the host bundle');
    const body = (last.split('\n')[1] ?? '').trim();
    const out = await sh(
      `grep -c -F -- ${JSON.stringify(body)} /etc/ssl/certs/ca-certificates.crt; echo "$NODE_EXTRA_CA_CERTS"; node -e 'require("https")' 2>&1 | wc -c`,
    );
    const [count, extra, warnings] = out.split('\n');
    assert.ok(Number(count) >= 1, `host CA not in the image bundle: ${out}`);
    assert.equal(extra, '/etc/ssl/certs/ca-certificates.crt');
    assert.equal(warnings?.trim(), '0', 'node warns about NODE_EXTRA_CA_CERTS');
  });

  it('starts the daemon by default, as uid 1000, under the restrictions, answering /health', async function () {
    this.timeout(60_000);
    const token = randomBytes(24).toString('hex');
    const id = (await docker(['run', '-d', '--rm', ...RESTRICTED, '-e', `SLIPWAY_DAEMON_TOKEN=${token}`, image])).trim();
    try {
      let ps = '';
      let health = '';
      for (let i = 0; i < 100 && !health; i++) {
        ps = (await docker(['exec', id, 'ps', '-eo', 'pid=,uid=,args='])).trim();
        health = await docker(['exec', id, 'curl', '-sf', '-H', `authorization: Bearer ${token}`, 'http://127.0.0.1:7070/health']).catch(() => '');
        if (!health) await new Promise((r) => setTimeout(r, 100));
      }
      const logs = await docker(['logs', id]).catch((e: Error) => e.message);
      assert.ok(health, `no answer from /health on :7070\n${ps}\n${logs}`);
      assert.equal((JSON.parse(health) as { ok?: unknown }).ok, true, health);
      const lines = ps.split('\n').map((l) => l.trim().split(/\s+/));
      const pid1 = lines.find((l) => l[0] === '1');
      assert.deepEqual(pid1?.slice(1, 4), ['1000', '/usr/bin/tini', '--'], ps);
      const daemon = lines.find((l) => l.slice(2).join(' ') === 'node --max-semi-space-size=1 --lite-mode /opt/slipway/daemon.cjs');
      assert.ok(daemon, `daemon not running:\n${ps}`);
      assert.equal(daemon[1], '1000');
    } finally {
      await docker(['rm', '-f', id]).catch(() => undefined);
    }
  });
});
