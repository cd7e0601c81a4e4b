import assert from 'node:assert/strict';
import { loadConfig } from '../config';
import { containerOptions } from './docker/container-spec';
import { ownerSecret, sandboxPod } from './kubernetes/sandbox-objects';
import type { SandboxSpec } from './runtime';

describe('daemon settings in sandbox specs', () => {
  const spec: SandboxSpec = {
    id: '00000000-0000-4000-8000-000000000001', image: 'slipway-sandbox:test', token: 't'.repeat(32),
    limits: { cpus: 1, memoryMb: 512, pids: 128 }, labels: { installation: 'i' }, terminalKeepSeconds: 900,
  };

  it('reads the terminal keep time from SLIPWAY_TERMINAL_KEEP_SECONDS, one hour by default', () => {
    assert.equal(loadConfig({}).terminalKeepSeconds, 3600);
    assert.equal(loadConfig({ SLIPWAY_TERMINAL_KEEP_SECONDS: '120' }).terminalKeepSeconds, 120);
    assert.throws(() => loadConfig({ SLIPWAY_TERMINAL_KEEP_SECONDS: '0' }));
  });

  it('hands it to the daemon of a Docker container and of a Kubernetes pod', () => {
    assert.ok(containerOptions(spec, 'net').Env?.includes('SLIPWAY_DETACHED_TERMINAL_SECONDS=900'));
    const config = loadConfig({}).kubernetes;
    const owner = ownerSecret(spec, 'ns');
    owner.metadata!.uid = 'uid';
    const env = sandboxPod(spec, 'ns', config, owner).spec?.containers[0]?.env ?? [];
    assert.deepEqual(env.find((e) => e.name === 'SLIPWAY_DETACHED_TERMINAL_SECONDS'), { name: 'SLIPWAY_DETACHED_TERMINAL_SECONDS', value: '900' });
  });
});
