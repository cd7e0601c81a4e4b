import assert from 'node:assert/strict';
import { request } from 'node:http';
import { lifecycleHarness, type LifecycleHarness } from '../reconcile/lifecycle.suite';
import type { KubeClient } from '../runtime/kubernetes/kube-client';
import type { KubernetesRuntime } from '../runtime/kubernetes/kubernetes-runtime';
import { requireImageInCluster, requireKubernetes, stopKubernetesServer, testKubernetesRuntime } from '../testing/kubernetes';
import { ensureSandboxImage } from '../testing/sandbox-image';
import { waitFor } from '../testing/wait-for';
import { openTestSocket, type TestSocket } from '../testing/ws-client';

/** Echoes the request, and bytes after an upgrade (hot reload); on every address of the pod. */
const APP = `
const http = require('node:http');
const server = http.createServer((req, res) => res.end('app says ' + req.url));
server.on('upgrade', (req, socket) => { socket.write('HTTP/1.1 101 Switching Protocols\\r\\nUpgrade: websocket\\r\\nConnection: Upgrade\\r\\n\\r\\n'); socket.on('data', (d) => socket.write(d)); });
server.listen(Number(process.env.PORT), '0.0.0.0');
`;
const APP_PORT = 5173;

/** The editor's file system, terminals and the preview, against a pod reached through the API server. */
describe('editor and preview on Kubernetes (the test cluster, through port-forward)', function () {
  this.timeout(60_000);
  let kube: KubeClient;
  let runtime: KubernetesRuntime | undefined;
  let h: LifecycleHarness;
  let projectId: string;
  let slug: string;
  let sock: TestSocket;

  before(async function () {
    this.timeout(20 * 60_000);
    kube = await requireKubernetes(this);
    const image = await ensureSandboxImage();
    await requireImageInCluster(kube, image);
    ({ runtime } = await testKubernetesRuntime({ reach: 'port-forward' }));
    h = await lifecycleHarness(runtime, { sandboxImage: image, sandboxLimits: { cpus: 1, memoryMb: 512, pids: 256 } });
    const project = await h.create({ template: 'web-app' });
    projectId = project.id;
    slug = project.slug;
    await h.waitStatus(projectId, 'RUNNING');
    sock = await openTestSocket(h.s.url, h.user.token);
  });
  after(async function () {
    this.timeout(120_000);
    await sock?.close();
    if (!h) return;
    await stopKubernetesServer(kube, h.s, runtime);
  });

  const files = (method: string, path: string, body?: Uint8Array<ArrayBuffer>) =>
    fetch(`${h.s.url}/api/projects/${projectId}/files?path=${encodeURIComponent(path)}&createParents=true`, {
      method, headers: { authorization: `Bearer ${h.user.token}`, 'content-type': 'application/octet-stream' }, body,
    });

  it('lists, writes, reads (ranges too) and watches the pod\'s workspace', async () => {
    const list = await sock.request('workspace.list', { projectId, path: '.' });
    assert.ok(list.result.entries.some((e: { name: string }) => e.name === 'server.js'), JSON.stringify(list));
    await sock.request('workspace.watch', { projectId });
    const bytes = new Uint8Array(new ArrayBuffer(512 * 1024)).map((_, i) => i % 251);
    assert.equal((await files('PUT', 'data/blob.bin', bytes)).status, 200);
    await sock.next((f) => f.event === 'workspace.changes' && f.data.changes.some((c: { path: string }) => c.path === 'data/blob.bin'));
    assert.deepEqual(new Uint8Array(await (await files('GET', 'data/blob.bin')).arrayBuffer()), bytes);
    const range = await fetch(`${h.s.url}/api/projects/${projectId}/files?path=data/blob.bin&offset=1000&length=10`, { headers: { authorization: `Bearer ${h.user.token}` } });
    assert.deepEqual(new Uint8Array(await range.arrayBuffer()), bytes.slice(1000, 1010));
    assert.equal((await sock.request('workspace.stat', { projectId, path: 'data/blob.bin' })).result.size, bytes.length);
  });

  it('runs a terminal in the pod', async () => {
    const opened = await sock.request('terminal.open', { projectId, cols: 100, rows: 30 });
    const terminalId = opened.result.terminalId;
    await sock.request('terminal.attach', { projectId, terminalId });
    await sock.request('terminal.input', { projectId, terminalId, data: 'echo "sum=$((40+2)) on $(hostname)"\r' });
    await sock.next((f) => f.event === 'terminal.output' && /sum=42 on slipway-/.test(f.data.data), 10_000);
    await sock.request('terminal.close', { projectId, terminalId });
  });

  it('previews the app through the proxy: HTTP and WebSocket upgrades', async () => {
    const daemon = await h.daemonOf(projectId);
    await daemon.writeFile('app.cjs', APP);
    await daemon.call('exec.start', { command: ['node', 'app.cjs'], env: { PORT: String(APP_PORT) } });
    await waitFor(async () => (await h.s.call('GET', `/api/projects/${projectId}/ports`, { token: h.user.token })).body.items?.some((p: { port: number }) => p.port === APP_PORT), { what: 'the app to listen' });
    const url = new URL(h.s.url);
    const host = `${APP_PORT}-${slug}.localhost:${url.port}`;
    const through = (path: string, headers: Record<string, string>) => new Promise<{ status: number; body: string; socket?: import('node:net').Socket }>((resolve, reject) => {
      const req = request({ host: url.hostname, port: url.port, path, headers: { host, authorization: `Bearer ${h.user.token}`, ...headers } }, (res) => {
        let body = '';
        res.on('data', (c: Buffer) => (body += c)).on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      });
      req.on('upgrade', (res, socket) => resolve({ status: res.statusCode ?? 0, body: '', socket }));
      req.on('error', reject);
      req.end();
    });
    const page = await through('/hello?x=1', {});
    assert.equal(page.status, 200);
    assert.equal(page.body, 'app says /hello?x=1');
    const upgraded = await through('/hmr', { connection: 'Upgrade', upgrade: 'websocket' });
    assert.equal(upgraded.status, 101);
    const echoed = await new Promise<string>((resolve) => {
      upgraded.socket!.once('data', (d: Buffer) => resolve(d.toString()));
      upgraded.socket!.write('ping-through-port-forward');
    });
    upgraded.socket!.destroy();
    assert.equal(echoed, 'ping-through-port-forward');
    // The daemon's own port is never previewed.
    assert.equal((await through('/rpc/health', { host: `7070-${slug}.localhost:${url.port}` })).status, 403);
  });
});
