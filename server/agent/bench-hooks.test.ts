import assert from 'node:assert/strict';
import { agentBench } from '../bench/agent-bench';

/** The bench's agent rows, measured for real through the probe (values vary; shapes do not). */
describe('agent bench hooks', function () {
  this.timeout(60_000);

  it('measures per-turn overhead and token relay latency', async () => {
    const [overhead, relay] = await agentBench(5);
    assert.match(overhead!.what, /overhead per turn/);
    assert.equal(overhead!.ours.n, 4, 'every turn but the warm-up one');
    assert.ok(overhead!.ours.p50 >= 0);
    assert.match(relay!.what, /token relay/);
    assert.equal(relay!.ours.n, 100, 'every one of 20 deltas × 5 turns reached the client');
    assert.ok(relay!.ours.p50 >= 0 && relay!.baseline!.p50 >= 0);
    console.log(`      agent overhead per turn p50 ${overhead!.ours.p50.toFixed(2)} ms; token relay p50 ${relay!.ours.p50.toFixed(2)} ms`);
  });
});
