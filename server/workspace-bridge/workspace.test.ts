import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { HostRuntime } from '../runtime/host/host-runtime';
import { lifecycleHarness, type LifecycleHarness } from '../reconcile/lifecycle.suite';
import { removeHostSandboxes } from '../testing/host-sandboxes';
import { ensureDaemonBundle } from '../testing/sandbox-image';
import { openTestSocket, type TestSocket } from '../testing/ws-client';
import { ClientError } from '../../protocol/client/client-error';
import { createRestClient, type FetchLike } from '../../protocol/client/rest-client';
import { fsErrorKind } from '../../extension/remote-fs/fs-error-kind';

const pick = (error: { code: string; reason?: string } | undefined) => ({ code: error?.code, reason: error?.reason });

describe('workspace and terminals through the server', function () {
  this.timeout(60_000);
  let h: LifecycleHarness;
  let projectId: string;
  let sock: TestSocket;
  const dir = mkdtempSync(join(tmpdir(), 'slipway-workspace-'));

  before(async () => {
    await ensureDaemonBundle();
    h = await lifecycleHarness(new HostRuntime(dir), { sandboxImage: 'host', limits: { fileBytes: 1024 * 1024 } as never });
    projectId = (await h.create({ template: 'web-app' })).id;
    await h.waitStatus(projectId, 'RUNNING');
    sock = await openTestSocket(h.s.url, h.user.token);
  });
  after(async () => {
    await sock?.close();
    await h?.s.close();
    await removeHostSandboxes(dir);
  });

  const files = (method: string, path: string, body?: Uint8Array<ArrayBuffer>, token = h.user.token) =>
    fetch(`${h.s.url}/api/projects/${projectId}/files?path=${encodeURIComponent(path)}&createParents=true`, {
      method, headers: { authorization: `Bearer ${token}`, 'content-type': 'application/octet-stream' }, body,
    });

  it('lists, stats, creates, moves, copies and deletes', async () => {
    const list = await sock.request('workspace.list', { projectId, path: '.' });
    assert.ok(list.result.entries.some((e: { name: string }) => e.name === 'server.js'));
    assert.equal((await sock.request('workspace.mkdir', { projectId, path: 'src/lib' })).result.type, 'directory');
    assert.equal((await files('PUT', 'src/lib/a.txt', new TextEncoder().encode('alpha'))).status, 200);
    assert.equal((await sock.request('workspace.rename', { projectId, from: 'src/lib/a.txt', to: 'src/lib/b.txt' })).result.name, 'b.txt');
    assert.equal((await sock.request('workspace.copy', { projectId, from: 'src/lib', to: 'src/copy' })).result.type, 'directory');
    assert.equal((await sock.request('workspace.stat', { projectId, path: 'src/copy/b.txt' })).result.size, 5);
    assert.ok((await sock.request('workspace.delete', { projectId, path: 'src', recursive: true })).result.ok);
    assert.equal((await sock.request('workspace.stat', { projectId, path: 'src' })).error!.code, 'not_found');
  });

  it('carries the daemon\'s exact reason to the extension unchanged', async () => {
    await sock.request('workspace.mkdir', { projectId, path: 'reasons/full' });
    await files('PUT', 'reasons/full/f.txt', new TextEncoder().encode('f'));
    const error = async (method: string, params: object) => (await sock.request(method, { projectId, ...params })).error;
    assert.deepEqual(pick(await error('workspace.mkdir', { path: 'reasons/full', recursive: false })), { code: 'conflict', reason: 'already_exists' });
    assert.deepEqual(pick(await error('workspace.delete', { path: 'reasons/full' })), { code: 'conflict', reason: 'not_empty' });
    assert.deepEqual(pick(await error('workspace.list', { path: 'reasons/full/f.txt' })), { code: 'bad_request', reason: 'not_a_directory' });
    assert.deepEqual(pick(await error('workspace.stat', { path: 'reasons/none' })), { code: 'not_found', reason: 'not_found' });
    // The extension's own clients keep the reason, and VS Code's file service hears what happened.
    const rest = createRestClient({ baseUrl: h.s.url, fetch: globalThis.fetch as FetchLike, token: () => h.user.token });
    const failure = await rest('files.write', { params: { projectId }, query: { path: 'reasons/full' }, body: new Uint8Array([1]) }).catch((e: unknown) => e);
    assert.ok(failure instanceof ClientError && failure.reason === 'is_a_directory', String(failure));
    assert.equal(fsErrorKind(failure).kind, 'FileIsADirectory');
    assert.equal(fsErrorKind(await rest('files.read', { params: { projectId }, query: { path: 'reasons/full' } }).catch((e: unknown) => e)).kind, 'FileIsADirectory');
    await sock.request('workspace.delete', { projectId, path: 'reasons', recursive: true });
  });

  it('refuses paths outside the workspace with a clear error', async () => {
    const escape = await sock.request('workspace.stat', { projectId, path: '../../../../etc/passwd' });
    assert.ok(['forbidden', 'bad_request', 'validation_failed'].includes(escape.error!.code), JSON.stringify(escape));
    assert.ok((await files('GET', '/etc/passwd')).status >= 400);
  });

  it('moves file bytes over HTTP, ranges included', async () => {
    const bytes = new Uint8Array(new ArrayBuffer(256 * 1024)).map((_, i) => i % 251);
    assert.equal((await files('PUT', 'data/blob.bin', bytes)).status, 200);
    const back = new Uint8Array(await (await files('GET', 'data/blob.bin')).arrayBuffer());
    assert.deepEqual(back, bytes);
    const range = await fetch(`${h.s.url}/api/projects/${projectId}/files?path=data/blob.bin&offset=1000&length=10`, { headers: { authorization: `Bearer ${h.user.token}` } });
    assert.deepEqual(new Uint8Array(await range.arrayBuffer()), bytes.slice(1000, 1010));
    const missing = await files('GET', 'nope.txt');
    assert.equal(missing.status, 404);
    assert.equal((await missing.json() as { error: { code: string } }).error.code, 'not_found');
  });

  it('streams a write to the sandbox, refusing one past the limit (declared or not) and keeping the old file', async () => {
    assert.equal((await files('PUT', 'limit/kept.txt', new TextEncoder().encode('old'))).status, 200);
    const declared = await files('PUT', 'limit/kept.txt', new Uint8Array(new ArrayBuffer(1024 * 1024 + 1)));
    assert.equal(declared.status, 413);
    assert.equal((await declared.json() as { error: { code: string } }).error.code, 'payload_too_large');
    // Chunked, so the server only learns the size while passing the bytes on.
    const chunks = async function* () {
      for (let i = 0; i < 20; i++) yield new Uint8Array(new ArrayBuffer(64 * 1024)).fill(120);
    };
    const streamed = await fetch(`${h.s.url}/api/projects/${projectId}/files?path=limit/kept.txt`, {
      method: 'PUT', headers: { authorization: `Bearer ${h.user.token}`, 'content-type': 'application/octet-stream' }, body: chunks() as unknown as BodyInit, duplex: 'half',
    } as RequestInit);
    assert.equal(streamed.status, 413);
    assert.equal(new TextDecoder().decode(new Uint8Array(await (await files('GET', 'limit/kept.txt')).arrayBuffer())), 'old');
    const fits = new Uint8Array(new ArrayBuffer(1024 * 1024)).map((_, i) => i % 241);
    assert.equal((await files('PUT', 'limit/kept.txt', fits)).status, 200);
    assert.deepEqual(new Uint8Array(await (await files('GET', 'limit/kept.txt')).arrayBuffer()), fits);
  });

  it('keeps outsiders out of files, watch and terminals', async () => {
    const outsider = await h.s.signUp('outsider');
    assert.equal((await files('GET', 'server.js', undefined, outsider.token)).status, 404);
    const theirs = await openTestSocket(h.s.url, outsider.token);
    for (const [method, params] of [['workspace.list', { path: '.' }], ['workspace.watch', {}], ['terminal.open', {}], ['terminal.list', {}]] as const) {
      assert.equal((await theirs.request(method, { projectId, ...params })).error!.code, 'not_found', method);
    }
    await theirs.close();
  });

  it('streams changes, and replays what a reconnecting client missed', async () => {
    const watched = await sock.request('workspace.watch', { projectId });
    assert.ok(watched.result.epoch);
    await files('PUT', 'watched/one.txt', new TextEncoder().encode('1'));
    const batch = await sock.next((f) => f.event === 'workspace.changes' && f.data.changes.some((c: { path: string }) => c.path === 'watched/one.txt'));
    assert.equal(batch.data.projectId, projectId);
    // A second client connects later, from the first batch's cursor: it gets what came after.
    await files('PUT', 'watched/two.txt', new TextEncoder().encode('2'));
    await sock.next((f) => f.event === 'workspace.changes' && f.data.changes.some((c: { path: string }) => c.path === 'watched/two.txt'));
    const late = await openTestSocket(h.s.url, h.user.token);
    const resumed = await late.request('workspace.watch', { projectId, epoch: watched.result.epoch, cursor: batch.data.cursor });
    assert.equal(resumed.result.resync, false);
    const replayed = await late.next((f) => f.event === 'workspace.changes' && f.data.changes.some((c: { path: string }) => c.path === 'watched/two.txt'));
    assert.ok(replayed.data.cursor > batch.data.cursor);
    await late.close();
  });

  it('runs a terminal in the sandbox that survives the client going away', async () => {
    const opened = await sock.request('terminal.open', { projectId, cols: 100, rows: 30 });
    const terminalId = opened.result.terminalId;
    await sock.request('terminal.attach', { projectId, terminalId });
    await sock.request('terminal.input', { projectId, terminalId, data: 'echo "sum=$((40+2))"\r' });
    await sock.next((f) => f.event === 'terminal.output' && /sum=42/.test(f.data.data), 10_000);
    await sock.request('terminal.resize', { projectId, terminalId, cols: 120, rows: 40 });
    // Another socket (a reconnect) attaches and gets the scrollback.
    const again = await openTestSocket(h.s.url, h.user.token);
    const attached = await again.request('terminal.attach', { projectId, terminalId });
    assert.match(attached.result.scrollback, /sum=42/);
    assert.equal(attached.result.cols, 120);
    await again.request('terminal.close', { projectId, terminalId });
    await again.next((f) => f.event === 'terminal.exit' && f.data.terminalId === terminalId, 10_000);
    await again.close();
  });

  it('says clearly when the sandbox is not running', async () => {
    await h.s.call('POST', `/api/projects/${projectId}/stop`, { token: h.user.token });
    await h.waitStatus(projectId, 'STOPPED');
    const res = await sock.request('workspace.list', { projectId, path: '.' });
    assert.equal(res.error!.code, 'conflict');
    assert.equal(res.error!.reason, 'sandbox_not_running');
    assert.match(res.error!.message, /not running/);
    const rest = createRestClient({ baseUrl: h.s.url, fetch: globalThis.fetch as FetchLike, token: () => h.user.token });
    const failure = await rest('files.read', { params: { projectId }, query: { path: 'server.js' } }).catch((e: unknown) => e);
    assert.ok(failure instanceof ClientError && failure.reason === 'sandbox_not_running', String(failure));
    assert.equal(fsErrorKind(failure).kind, 'Unavailable');
  });
});
