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
