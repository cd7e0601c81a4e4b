import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:net';
import { promisify } from 'node:util';
import Docker from 'dockerode';
import { DaemonClient } from '../../daemon-client';
import { requireDocker } from '../../testing/docker';
import { removeInstallation } from '../../testing/docker-cleanup';
import { fakeLan, type FakeLan } from '../../testing/fake-lan';
import { dropChains } from '../../testing/firewall-chains';
import { ensureSandboxImage } from '../../testing/sandbox-image';
import { containerName } from './container-spec';
import { DockerRuntime } from './docker-runtime';
import { chainsFor } from './firewall-rules';
import { bridgeOf } from './sandbox-firewall';

const run = promisify(execFile);

/**
 * The sandbox firewall, proven from inside a real sandbox against this machine's own addresses
 * only: a listener of the host on 0.0.0.0, and a namespace beside the host holding a private, a
 * link-local (metadata-like) and a documentation-range address that stands for the internet.
 */
describe('sandbox firewall on Docker', function () {
  this.timeout(120_000);
  const docker = new Docker();
  const installation = `fw-test-${randomUUID()}`;
  const network = `slipway-fwtest-${randomUUID().slice(0, 8)}`;
  const [lanPort, allowedPort] = [18_000 + Math.floor(Math.random() * 2000), 20_000 + Math.floor(Math.random() * 2000)];
  let image: string;
  let runtime: DockerRuntime;
  let hostListener: Server;
  let hostPort: number;
  let lan: FakeLan | undefined;
  let sandbox: string;

  const startSandbox = async () => {
    const id = randomUUID();
    const spec = { id, image, token: `t-${id}`, limits: { cpus: 0.5, memoryMb: 256, pids: 128 }, labels: { installation } };
    const { address } = await runtime.start(spec);
    await new DaemonClient({ baseUrl: address, token: spec.token }).call('health', {}, { timeoutMs: 10_000 }).catch(async () => {
      await new Promise((r) => setTimeout(r, 1000)); // the daemon takes a moment to listen
      return new DaemonClient({ baseUrl: address, token: spec.token }).call('health', {});
    });
    return id;
  };
  /** Connects from inside the sandbox: 'open' (the listener said hello) or 'refused'. */
  const probe = async (id: string, host: string, port: number) => {
    const { stdout } = await run('docker', ['exec', containerName(id), 'bash', '-c',
      `timeout 4 bash -c 'exec 3<>/dev/tcp/${host}/${port} && head -c 5 <&3' 2>/dev/null || echo refused`]);
    return stdout.trim() === 'hello' ? 'open' : 'refused';
  };
  const bridge = async () => bridgeOf(await docker.getNetwork(network).inspect() as Docker.NetworkInspectInfo);
  const gateway = async () => (await docker.getNetwork(network).inspect() as Docker.NetworkInspectInfo).IPAM?.Config?.[0]?.Gateway ?? assert.fail("no gateway");

  before(async function () {
    this.timeout(20 * 60_000);
    await requireDocker(this);
    if (process.getuid?.() !== 0) {
      console.warn('    skipped: the firewall tests build a network namespace (root only)');
      this.skip();
    }
    image = await ensureSandboxImage();
    hostListener = createServer((s) => s.end('hello'));
    await new Promise<void>((r) => hostListener.listen(0, '0.0.0.0', r));
    hostPort = (hostListener.address() as { port: number }).port;
    const fake = lan = await fakeLan([lanPort, allowedPort]);
    runtime = new DockerRuntime(docker, { network, firewall: { allow: [`${fake.privateAddress}/32:${allowedPort}`] } });
    sandbox = await startSandbox();
  });

  after(async () => {
    if (!image) return;
    hostListener?.close();
    await lan?.close();
    const name = await bridge().catch(() => undefined);
    await removeInstallation(installation, docker);
    await docker.getNetwork(network).remove().catch(() => {});
    if (name) await dropChains(name);
  });

  it('refuses a listener of the host on 0.0.0.0, through the bridge gateway and the host\'s primary address', async () => {
    const primary = /src (\S+)/.exec((await run('ip', ['-4', 'route', 'get', '1.1.1.1'])).stdout)?.[1];
    assert.ok(primary, 'the host has a primary address');
    assert.equal(await probe(sandbox, await gateway(), hostPort), 'refused');
    assert.equal(await probe(sandbox, primary, hostPort), 'refused');
    assert.equal(await probe(sandbox, '172.17.0.1', hostPort), 'refused', 'another bridge of the host');
  });

  it('refuses private and link-local (metadata) addresses beside the host, and lets the internet path through', async () => {
    assert.equal(await probe(sandbox, lan!.privateAddress, lanPort), 'refused');
    assert.equal(await probe(sandbox, lan!.linkLocalAddress, lanPort), 'refused');
    assert.equal(await probe(sandbox, lan!.publicAddress, lanPort), 'open', 'a non-private address is forwarded');
  });

  it('lets the administrator allow one address and port, and nothing more', async () => {
    assert.equal(await probe(sandbox, lan!.privateAddress, allowedPort), 'open');
    assert.equal(await probe(sandbox, lan!.privateAddress, lanPort), 'refused');
  });

  it('keeps what sandboxes need: the server reaching the daemon, Docker\'s embedded DNS, the host\'s resolvers', async () => {
    const info = await docker.getContainer(containerName(sandbox)).inspect();
    const address = info.NetworkSettings.Networks[network]!.IPAddress;
    assert.equal((await new DaemonClient({ baseUrl: `http://${address}:7070`, token: `t-${sandbox}` }).call('health', {})).ok, true);
    const { stdout } = await run('docker', ['exec', containerName(sandbox), 'getent', 'hosts', containerName(sandbox)]);
    assert.match(stdout, new RegExp(`^${address.replace(/\./g, '\\.')}\\s`), 'the embedded DNS (127.0.0.11) answers');
    const { forward } = chainsFor(await bridge());
    const rules = (await run('iptables', ['-S', forward])).stdout;
    for (const ns of (await run('sh', ['-c', "sed -n 's/^nameserver[[:space:]]*\\([0-9.]*\\)$/\\1/p' /etc/resolv.conf"])).stdout.split('\n').filter(Boolean)) {
      assert.ok(rules.includes(`-A ${forward} -d ${ns}/32 -p udp -m udp --dport 53 -j RETURN`), `DNS to ${ns} stays open:\n${rules}`);
    }
  });

  it('applies the rules again when the network is recreated', async () => {
    const before = await bridge();
    await removeInstallation(installation, docker);
    await docker.getNetwork(network).remove();
    sandbox = await startSandbox();
    const after = await bridge();
    assert.notEqual(after, before, 'a new bridge');
    const { input, forward } = chainsFor(before);
    const rules = (await run('iptables', ['-S'])).stdout;
    assert.ok(!rules.includes(input) && !rules.includes(forward), 'the chains of the removed network are gone');
    assert.equal(await probe(sandbox, await gateway(), hostPort), 'refused');
    assert.equal(await probe(sandbox, lan!.linkLocalAddress, lanPort), 'refused');
    assert.equal(await probe(sandbox, lan!.publicAddress, lanPort), 'open');
  });
});
