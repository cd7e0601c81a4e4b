import assert from 'node:assert/strict';
import { Backoff } from './backoff';
import { ClientError } from './client-error';
import { SocketClient, type SocketState, type Timers, type WsTransportEvents } from './socket-client';

const TEAM = '0d6c2a5e-5b1f-4c9a-8f3e-2a1b3c4d5e6f';
const project = (version: number, status = 'CREATING') => ({
  id: '6f1c1a52-6d7c-4b8e-9d55-8a3c1f0e2b11', teamId: TEAM, name: 'Todo', slug: 'todo-k3x8n2',
  template: 'web-app', desiredState: 'RUNNING', status, statusMessage: null, version,
  createdAt: '2025-01-01T00:00:00.000Z', updatedAt: '2025-01-01T00:00:00.000Z', database: null,
});

/** Timers the test advances by hand. */
class ManualTimers implements Timers {
  private now = 0;
  private tasks: { at: number; fn: () => void; id: number }[] = [];
  private ids = 0;
  setTimeout(fn: () => void, ms: number): unknown {
    const id = ++this.ids;
    this.tasks.push({ at: this.now + ms, fn, id });
    return id;
  }
  clearTimeout(handle: unknown): void {
    this.tasks = this.tasks.filter((t) => t.id !== handle);
  }
  advance(ms: number): void {
    this.now += ms;
    for (;;) {
      const due = this.tasks.filter((t) => t.at <= this.now).sort((a, b) => a.at - b.at)[0];
      if (!due) return;
      this.tasks = this.tasks.filter((t) => t !== due);
      due.fn();
    }
  }
}

/** A scripted server: records what the client sends and lets the test answer. */
class FakeServer {
  sockets: { events: WsTransportEvents; sent: { id: number; method: string; params: unknown }[]; closed: boolean; request: { url: string; protocols: string[]; headers: Record<string, string> } }[] = [];
  connect = (request: { url: string; protocols: string[]; headers: Record<string, string> }, events: WsTransportEvents) => {
    const socket = { events, sent: [] as { id: number; method: string; params: unknown }[], closed: false, request };
    this.sockets.push(socket);
    return {
      send: (text: string) => socket.sent.push(JSON.parse(text)),
      close: () => { socket.closed = true; },
    };
  };
  get last() {
    return this.sockets[this.sockets.length - 1]!;
  }
}

const flush = () => new Promise((resolve) => setImmediate(resolve));

function setup(options: { heartbeatMs?: number } = {}) {
  const server = new FakeServer();
  const timers = new ManualTimers();
  const problems: string[] = [];
  const states: SocketState['status'][] = [];
  const client = new SocketClient({
    baseUrl: 'http://127.0.0.1:7777/', token: () => 'slp_pat_token', connect: server.connect, timers,
    backoff: new Backoff({ initialMs: 100, maxMs: 1000, random: () => 0.999999 }),
    heartbeatMs: options.heartbeatMs ?? 0, requestTimeoutMs: 1000,
    onProtocolError: (m) => problems.push(m),
  });
  client.onState((s) => states.push(s.status));
  return { server, timers, client, problems, states };
}

describe('Socket client', () => {
  it('connects with the subprotocol and bearer token, and answers typed requests', async () => {
    const { server, client } = setup();
    client.start();
    assert.equal(server.last.request.url, 'ws://127.0.0.1:7777/ws');
    assert.deepEqual(server.last.request.protocols, ['slipway.v1']);
    assert.equal(server.last.request.headers.authorization, 'Bearer slp_pat_token');
    await assert.rejects(client.request('ping', {}), (e) => ClientError.is(e) && e.kind === 'network');
    server.last.events.open();
    const pong = client.request('ping', {});
    const sent = server.last.sent[0]!;
    assert.equal(sent.method, 'ping');
    server.last.events.message(JSON.stringify({ id: sent.id, result: { at: 42 } }));
    assert.deepEqual(await pong, { at: 42 });
  });

  it('rejects results and errors per request, and drops frames that are not the protocol', async () => {
    const { server, client, problems } = setup();
    const events: unknown[] = [];
    client.on('project.updated', (data) => events.push(data.project.version));
    client.start();
    server.last.events.open();
    const bad = client.request('ping', {});
    server.last.events.message(JSON.stringify({ id: server.last.sent[0]!.id, result: { at: 'soon' } }));
    await assert.rejects(bad, (e) => ClientError.is(e) && e.kind === 'invalid');
    const refused = client.request('projects.subscribe', { teamId: TEAM });
    server.last.events.message(JSON.stringify({ id: server.last.sent[1]!.id, error: { code: 'not_found', message: 'no such team' } }));
    await assert.rejects(refused, (e) => ClientError.is(e, 'not_found'));
    server.last.events.message('{oops');
    server.last.events.message(JSON.stringify({ event: 'project.exploded', data: {} }));
    server.last.events.message(JSON.stringify({ event: 'project.updated', data: { project: { id: 'x' } } }));
    server.last.events.message(JSON.stringify({ event: 'project.updated', data: { project: project(3) } }));
    assert.deepEqual(events, [3]);
    assert.equal(problems.length, 3);
  });

  it('reconnects with growing delays after losses, resets them once connected, and subscribes again', async () => {
    const { server, timers, client, states } = setup();
    const snapshots: number[] = [];
    client.keep('projects.subscribe', { teamId: TEAM }, { onResult: (r) => snapshots.push(r.projects.length) }, { method: 'projects.unsubscribe', params: { teamId: TEAM } });
    client.start();
    const answerSubscribe = (count: number) => {
      const request = server.last.sent.find((m) => m.method === 'projects.subscribe')!;
      assert.deepEqual(request.params, { teamId: TEAM });
      server.last.events.message(JSON.stringify({ id: request.id, result: { projects: Array.from({ length: count }, (_, i) => project(i + 1)) } }));
    };
    server.last.events.open();
    answerSubscribe(1);
    await flush();
    const pending = client.request('ping', {});
    server.last.events.close(1006, '');
    await assert.rejects(pending, (e) => ClientError.is(e) && e.kind === 'network');
    assert.equal(client.state.status, 'waiting');
    // Two failures in a row: 100 ms, then 200 ms.
    timers.advance(99);
    assert.equal(server.sockets.length, 1);
    timers.advance(1);
    assert.equal(server.sockets.length, 2);
    server.last.events.error(new Error('ECONNREFUSED'));
    assert.deepEqual(client.state, { status: 'waiting', retryInMs: 200, reason: 'ECONNREFUSED' });
    timers.advance(200);
    assert.equal(server.sockets.length, 3);
    server.last.events.open();
    answerSubscribe(2);
    await flush();
    assert.deepEqual(snapshots, [1, 2]);
    // A server refusing for a while (503) is retried; the delay starts over after a success.
    server.last.events.close(1001, 'server shutting down');
    assert.equal((client.state as { retryInMs: number }).retryInMs, 100);
    timers.advance(100);
    server.last.events.refused(503, JSON.stringify({ error: { code: 'unavailable', message: 'starting' } }));
    assert.deepEqual(client.state, { status: 'waiting', retryInMs: 200, reason: 'starting' });
    assert.ok(states.includes('connecting') && states.includes('open'));
  });

  it('stops retrying when the token is refused or the protocol version differs', () => {
    for (const [status, code] of [[401, 'unauthorized'], [426, 'unsupported_protocol']] as const) {
      const { server, timers, client } = setup();
      client.start();
      server.last.events.refused(status, JSON.stringify({ error: { code, message: 'no' } }));
      assert.equal(client.state.status, 'refused');
      assert.ok(client.state.status === 'refused' && ClientError.is(client.state.error, code));
      timers.advance(60_000);
      assert.equal(server.sockets.length, 1);
    }
  });

  it('treats a close for ended credentials (4401) as signed out: no retries', () => {
    for (const reason of ['credentials_revoked', 'credentials_expired']) {
      const { server, timers, client } = setup();
      client.start();
      server.last.events.open();
      server.last.events.close(4401, reason);
      assert.equal(client.state.status, 'refused');
      assert.ok(client.state.status === 'refused' && ClientError.is(client.state.error, 'unauthorized'));
      timers.advance(60_000);
      assert.equal(server.sockets.length, 1, 'no reconnection with a dead credential');
    }
  });

  it('unsubscribes when a kept subscription ends, and stop() closes without retrying', () => {
    const { server, timers, client } = setup();
    client.start();
    server.last.events.open();
    const end = client.keep('projects.subscribe', { teamId: TEAM }, { onResult: () => undefined }, { method: 'projects.unsubscribe', params: { teamId: TEAM } });
    end();
    assert.deepEqual(server.last.sent.map((m) => m.method), ['projects.subscribe', 'projects.unsubscribe']);
    client.stop();
    assert.equal(server.last.closed, true);
    server.last.events.close(1000, '');
    timers.advance(60_000);
    assert.equal(server.sockets.length, 1);
    assert.equal(client.state.status, 'stopped');
  });

  it('asks a kept subscription for its params at every run, and makes it again on demand', async () => {
    const { server, client } = setup();
    client.start();
    server.last.events.open();
    let fromSeq = 3;
    const seen: unknown[] = [];
    const kept = client.keep('chat.subscribe', () => ({ chatId: TEAM, fromSeq }), { onResult: (r) => seen.push(r), onError: (e) => seen.push(e) });
    const answer = () => {
      const request = server.last.sent.at(-1)!;
      server.last.events.message(JSON.stringify({ id: request.id, error: { code: 'not_found', message: 'chat not found' } }));
    };
    answer();
    await kept.latest;
    fromSeq = 9;
    const again = kept.again();
    answer();
    await again;
    assert.deepEqual(server.last.sent.filter((m) => m.method === 'chat.subscribe').map((m) => m.params), [{ chatId: TEAM, fromSeq: 3 }, { chatId: TEAM, fromSeq: 9 }]);
    assert.equal(seen.length, 2);
    assert.ok(seen.every((e) => ClientError.is(e, 'not_found')));
    kept();
    await kept.again();
    assert.equal(server.last.sent.filter((m) => m.method === 'chat.subscribe').length, 2, 'an ended subscription is not made again');
  });

  it('closes a connection whose heartbeat goes unanswered', async () => {
    const { server, timers, client } = setup({ heartbeatMs: 5000 });
    client.start();
    server.last.events.open();
    timers.advance(5000);
    assert.equal(server.last.sent.at(-1)!.method, 'ping');
    timers.advance(1000);
    await flush();
    assert.equal(server.last.closed, true);
  });
});
