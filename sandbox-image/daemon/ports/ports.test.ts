import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import type { Server } from 'node:net';
import type { TestDaemon } from '../testing/test-daemon';
import { startTestDaemon } from '../testing/test-daemon';
import { isAppAddress } from './ports-handlers';
import { parseProcNetTcp } from './proc-net-tcp';

const listen = (host: string): Promise<{ server: Server; port: number }> =>
  new Promise((resolve) => {
    const server = createServer();
    server.listen(0, host, () => {
      const address = server.address();
      resolve({ server, port: typeof address === 'object' && address ? address.port : 0 });
    });
  });

describe('daemon ports', () => {
  let t: TestDaemon;
  beforeEach(async () => {
    t = await startTestDaemon();
  });
  afterEach(async () => t.stop());

  it('lists a port a server starts listening on, and not the daemon itself', async () => {
    const v4 = await listen('127.0.0.1');
    const v6 = await listen('::');
    try {
      const { ports } = await t.client.call('ports.list', {});
      assert.ok(ports.some((p) => p.port === v4.port && p.address === '127.0.0.1' && p.family === 'ipv4'), JSON.stringify(ports));
      assert.ok(ports.some((p) => p.port === v6.port && p.address === '::' && p.family === 'ipv6'), JSON.stringify(ports));
      assert.ok(!ports.some((p) => p.port === t.daemon.port), 'the daemon listed its own port');
    } finally {
      v4.server.close();
      v6.server.close();
    }
    const after = await t.client.call('ports.list', {});
    assert.ok(!after.ports.some((p) => p.port === v4.port), 'a closed port is still listed');
  });

  it('leaves out loopback addresses other than 127.0.0.1 (Docker\'s DNS resolver on 127.0.0.11)', async () => {
    const resolver = await listen('127.0.0.11');
    const app = await listen('127.0.0.1');
    try {
      const { ports } = await t.client.call('ports.list', {});
      assert.ok(!ports.some((p) => p.port === resolver.port), `the resolver is listed: ${JSON.stringify(ports)}`);
      assert.ok(ports.some((p) => p.port === app.port));
    } finally {
      resolver.server.close();
      app.server.close();
    }
    assert.deepEqual(['0.0.0.0', '127.0.0.1', '::', '::1', '172.17.0.2', '::ffff:7f00:1', '127.0.0.11', '127.0.1.1', '::ffff:7f00:b'].map(isAppAddress),
      [true, true, true, true, true, true, false, false, false]);
  });

  it('finds a server started through exec', async () => {
    const started = await t.client.call('exec.start', {
      command: ['node', '-e', "require('net').createServer().listen(0, '0.0.0.0', function () { console.log(this.address().port) })"],
    });
    let port = 0;
    for (let i = 0; i < 100 && !port; i++) {
      const log = await t.client.call('exec.log', { processId: started.processId, offset: 0 });
      port = Number(log.chunks.map((c) => c.data).join('').trim());
      if (!port) await new Promise((resolve) => setTimeout(resolve, 50));
    }
    assert.ok(port > 0);
    const { ports } = await t.client.call('ports.list', {});
    assert.ok(ports.some((p) => p.port === port && p.address === '0.0.0.0'));
    await t.client.call('exec.kill', { processId: started.processId });
  });
});

describe('parseProcNetTcp', () => {
  it('reads LISTEN sockets of both families and skips the rest', () => {
    const tcp = [
      '  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode',
      '   0: 0100007F:1F90 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 12345 1 0000000000000000 100 0 0 10 0',
      '   1: 00000000:0BB8 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 12346 1 0000000000000000 100 0 0 10 0',
      '   2: 0100007F:1F90 0100007F:C350 01 00000000:00000000 00:00000000 00000000     0        0 12347 1 0000000000000000 100 0 0 10 0',
      '',
    ].join('\n');
    assert.deepEqual(parseProcNetTcp(tcp, 'ipv4'), [
      { port: 8080, address: '127.0.0.1', family: 'ipv4' },
      { port: 3000, address: '0.0.0.0', family: 'ipv4' },
    ]);
    const tcp6 = [
      '  sl  local_address                         remote_address                        st',
      '   0: 00000000000000000000000000000000:1538 00000000000000000000000000000000:0000 0A 0',
      '   1: 00000000000000000000000001000000:0050 00000000000000000000000000000000:0000 0A 0',
      '   2: 0000000000000000FFFF00000100007F:1388 00000000000000000000000000000000:0000 0A 0',
      '   3: 000080FE00000000FF005450B6AC7EFE:0016 00000000000000000000000000000000:0000 06 0',
    ].join('\n');
    assert.deepEqual(parseProcNetTcp(tcp6, 'ipv6'), [
      { port: 5432, address: '::', family: 'ipv6' },
      { port: 80, address: '::1', family: 'ipv6' },
      { port: 5000, address: '::ffff:7f00:1', family: 'ipv6' },
    ]);
  });
});
