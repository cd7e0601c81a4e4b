import assert from 'node:assert/strict';
import { loadConfig } from '../config';
import { silentLogger } from '../log';
import { HostRuntime } from './host/host-runtime';
import { selectRuntime } from './select-runtime';

describe('selectRuntime', () => {
  it('refuses the unisolated host runtime beyond loopback unless explicitly allowed', async () => {
    const exposed = loadConfig({}, { runtime: 'host', host: '0.0.0.0', dataDir: '/tmp/slipway-select' });
    await assert.rejects(selectRuntime(exposed, silentLogger()), /host runtime \(no isolation\) is refused while listening on 0\.0\.0\.0/);
    const allowed = loadConfig({}, { runtime: 'host', host: '0.0.0.0', allowHostRuntime: true, dataDir: '/tmp/slipway-select' });
    assert.ok((await selectRuntime(allowed, silentLogger())) instanceof HostRuntime);
    const local = loadConfig({}, { runtime: 'host', host: '127.0.0.1', dataDir: '/tmp/slipway-select' });
    assert.ok((await selectRuntime(local, silentLogger())) instanceof HostRuntime);
  });
});

describe('the Kubernetes runtime configuration', () => {
  it('says in one sentence that no cluster is configured, instead of guessing one', async () => {
    const { connectKube } = await import('./kubernetes/kube-client');
    await assert.rejects(connectKube({ HOME: '/nonexistent', KUBECONFIG: '/nonexistent/config' }), /SLIPWAY_RUNTIME=kubernetes but no cluster is configured: .*KUBECONFIG/);
  });

  it('reads its settings from the environment and refuses bad ones', () => {
    const config = loadConfig({ SLIPWAY_RUNTIME: 'kubernetes', SLIPWAY_K8S_NAMESPACE: 'sandboxes', SLIPWAY_K8S_REACH: 'pod-ip' });
    assert.equal(config.runtime, 'kubernetes');
    assert.equal(config.kubernetes.namespace, 'sandboxes');
    assert.equal(config.kubernetes.reach, 'pod-ip');
    assert.equal(config.kubernetes.workspaceSize, '5Gi');
    assert.throws(() => loadConfig({ SLIPWAY_K8S_NAMESPACE: 'Not_A_Namespace' }), /Invalid configuration: .*kubernetes\.namespace/);
    assert.throws(() => loadConfig({}, { kubernetes: { egressAllow: ['everything'] } }), /IPv4 CIDR/);
  });
});
