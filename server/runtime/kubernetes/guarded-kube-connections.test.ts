import assert from 'node:assert/strict';
import dns from 'node:dns';
import { createServer, type Server } from 'node:net';
import { PassThrough } from 'node:stream';
import { isEgressRefusal, type EgressPolicy } from '../../net/egress-policy';
import { teamKube } from './team-kubeconfig';

const NAME = 'rebind.slipway.test';

/**
 * A team cluster's API server name that passed the check at save and later resolves to a refused
 * address (DNS rebinding): here the resolver is overridden to answer 127.0.0.1, where a listener
 * counts the connections that reach it.
 */
describe("a team cluster's connections check the API server's address at connect time", () => {
  const realLookup = dns.lookup;
  let listener: Server;
  let port = 0;
  let reached = 0;

  before(async () => {
    listener = createServer((socket) => { reached++; socket.destroy(); });
    await new Promise<void>((resolve) => listener.listen(0, '127.0.0.1', resolve));
    port = (listener.address() as { port: number }).port;
    const fake = ((hostname: string, options: unknown, callback: unknown) => {
      if (hostname !== NAME) return (realLookup as (...a: unknown[]) => void)(hostname, options, callback);
      const all = typeof options === 'object' && (options as { all?: boolean }).all;
      const done = (typeof options === 'function' ? options : callback) as (...a: unknown[]) => void;
      process.nextTick(() => (all ? done(null, [{ address: '127.0.0.1', family: 4 }]) : done(null, '127.0.0.1', 4)));
    }) as typeof dns.lookup;
    dns.lookup = fake;
  });
  after(() => {
    dns.lookup = realLookup;
    listener.close();
  });
  beforeEach(() => { reached = 0; });

  const kubeconfig = (tls: 'skip' | 'system') => JSON.stringify({
    apiVersion: 'v1', kind: 'Config', 'current-context': 'team',
    clusters: [{ name: 'c', cluster: { server: `https://${NAME}:${port}`, ...(tls === 'skip' && { 'insecure-skip-tls-verify': true }) } }],
    users: [{ name: 'u', user: { token: 'team-token' } }],
    contexts: [{ name: 'team', context: { cluster: 'c', user: 'u' } }],
  });
  const strict: EgressPolicy = { allowPrivate: false, allow: [] };
  const open: EgressPolicy = { allowPrivate: true, allow: [] };

  for (const tls of ['skip', 'system'] as const) {
    it(`refuses REST calls and watches to a name now resolving to loopback (TLS: ${tls}); the same client reaches it when the admin allows private clusters`, async () => {
      const kube = await teamKube(kubeconfig(tls), strict);
      const rest = await kube.core.listNamespacedPod({ namespace: 'team' }).then(() => undefined, (e: unknown) => e);
      assert.ok(isEgressRefusal(rest), `REST refused by the egress guard: ${String(rest)}`);
      const watched = await new Promise<unknown>((resolve) => {
        new kube.lib.Watch(kube.kc).watch('/api/v1/namespaces/team/pods', {}, () => undefined, resolve).catch(resolve);
      });
      assert.ok(isEgressRefusal(watched), `watch refused by the egress guard: ${String(watched)}`);
      assert.equal(reached, 0, 'no connection reached the refused address');

      const allowed = await teamKube(kubeconfig(tls), open);
      await allowed.core.listNamespacedPod({ namespace: 'team' }).catch(() => undefined);
      assert.ok(reached > 0, 'the control: with private clusters allowed, the name does reach the listener');
    });
  }

  it('refuses port-forward (the WebSocket path) to a name now resolving to loopback', async () => {
    const kube = await teamKube(kubeconfig('skip'), strict);
    const forwarded = await new kube.lib.PortForward(kube.kc).portForward('team', 'pod', [7070], new PassThrough(), new PassThrough(), new PassThrough())
      .then(() => undefined, (e: unknown) => e);
    assert.ok(forwarded, 'port-forward failed');
    assert.equal(reached, 0, 'no connection reached the refused address');

    const allowed = await teamKube(kubeconfig('skip'), open);
    await new allowed.lib.PortForward(allowed.kc).portForward('team', 'pod', [7070], new PassThrough(), new PassThrough(), new PassThrough()).catch(() => undefined);
    assert.ok(reached > 0, 'the control: with private clusters allowed, port-forward does reach the listener');
  });
});
