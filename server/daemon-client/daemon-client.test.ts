import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer } from 'ws';
import { DaemonClient } from './daemon-client';
import { DaemonClientError } from './daemon-client-error';

/** A stand-in daemon that answers whatever the test wants, to check what the client accepts. */
async function fakeDaemon(answer: (path: string) => { status: number; body: string }): Promise<{ server: Server; url: string; headers: Record<string, unknown>[] }> {
  const headers: Record<string, unknown>[] = [];
  const server = createServer((req, res) => {
    headers.push(req.headers);
    req.resume();
    const { status, body } = answer(req.url ?? '');
    res.writeHead(status, { 'content-type': 'application/json' }).end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, headers };
}

const isError = (code: string) => (error: unknown) => error instanceof DaemonClientError && error.code === code;

describe('DaemonClient', () => {
  it('sends the token and protocol version, and returns checked results', async () => {
    const fake = await fakeDaemon(() => ({ status: 200, body: JSON.stringify({ ok: true, protocol: 1, uptimeMs: 5, pid: 9 }) }));
    const client = new DaemonClient({ baseUrl: fake.url, token: 'secret-token' });
    try {
      assert.deepEqual(await client.health(), { ok: true, protocol: 1, uptimeMs: 5, pid: 9 });
      assert.equal(fake.headers[0]?.authorization, 'Bearer secret-token');
      assert.equal(fake.headers[0]?.['x-slipway-protocol'], '1');
    } finally {
      client.close();
      fake.server.close();
    }
  });

  it('refuses answers that do not match the protocol', async () => {
    const fake = await fakeDaemon((path) =>
      path.startsWith('/rpc/fs.stat') ? { status: 200, body: JSON.stringify({ path: 'a', type: 'weird' }) } : { status: 200, body: 'not json' },
    );
    const client = new DaemonClient({ baseUrl: fake.url, token: 't' });
    try {
      await assert.rejects(client.call('fs.stat', { path: 'a' }), isError('internal'));
      await assert.rejects(client.health(), isError('internal'));
      await assert.rejects(client.writeFile('a', 'x'), isError('internal'));
    } finally {
      client.close();
      fake.server.close();
    }
  });

  it('turns error bodies into DaemonClientError, and copes with bodies that are not', async () => {
    const fake = await fakeDaemon((path) =>
      path.includes('fs.stat')
        ? { status: 403, body: JSON.stringify({ error: { code: 'forbidden', message: 'path is outside the workspace: ../x' } }) }
        : { status: 502, body: '<html>bad gateway</html>' },
    );
    const client = new DaemonClient({ baseUrl: fake.url, token: 't' });
    try {
      await assert.rejects(client.call('fs.stat', { path: '../x' }), (error: unknown) => {
        assert.ok(error instanceof DaemonClientError);
        assert.deepEqual([error.code, error.status, error.message], ['forbidden', 403, 'path is outside the workspace: ../x']);
        return true;
      });
      await assert.rejects(client.health(), (error: unknown) => error instanceof DaemonClientError && error.code === 'internal' && error.status === 502);
    } finally {
      client.close();
      fake.server.close();
    }
  });

  it('reports an unreachable daemon as unavailable', async () => {
    const fake = await fakeDaemon(() => ({ status: 200, body: '{}' }));
    const url = fake.url;
    await new Promise((resolve) => fake.server.close(resolve));
    const client = new DaemonClient({ baseUrl: url, token: 't' });
    await assert.rejects(client.health(), isError('unavailable'));
    await assert.rejects(client.connect(), isError('unavailable'));
    client.close();
  });

  it('drops stream events and rejects replies that do not match the protocol', async () => {
    const server = createServer();
    const wss = new WebSocketServer({ server });
    wss.on('connection', (socket) => {
      socket.on('message', (raw) => {
        const { id } = JSON.parse(raw.toString()) as { id: number };
        socket.send(JSON.stringify({ event: 'pty.output', data: { terminalId: 'nope', data: 1 } }));
        socket.send(JSON.stringify({ event: 'pty.output', data: { terminalId: 'term_1', data: 'fine' } }));
        socket.send(JSON.stringify({ id, result: { ok: 'yes' } }));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const client = new DaemonClient({ baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, token: 't' });
    const stream = await client.connect();
    const problems: string[] = [];
    const outputs: string[] = [];
    stream.onProtocolError = (message) => problems.push(message);
    stream.on('pty.output', (data) => outputs.push(data.data));
    try {
      await assert.rejects(stream.call('pty.input', { terminalId: 'term_1', data: 'x' }), isError('internal'));
      assert.deepEqual(outputs, ['fine']);
      assert.equal(problems.length, 1);
    } finally {
      stream.close();
      client.close();
      wss.close();
      server.close();
    }
  });
});
