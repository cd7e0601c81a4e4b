import assert from 'node:assert/strict';
import { agentBench } from '../bench/agent-bench';

/** The bench's agent rows, measured for real through the probe (values vary; shapes do not). */
describe('agent bench hooks', function () {
  this.timeout(60_000);

  it('measures per-turn overhead, where it goes, and token relay latency', async () => {
    const rows = await agentBench(5);
    const overhead = rows.find((r) => /overhead per turn/.test(r.what));
    const relay = rows.find((r) => /token relay/.test(r.what));
    assert.match(overhead!.what, /overhead per turn/);
    assert.equal(overhead!.ours.n, 4, 'every turn but the warm-up one');
    assert.ok(overhead!.ours.p50 >= 0);
    // Where the overhead goes: the turn-start reads, the events written after the model, the rest.
    const parts = rows.filter((r) => r.what.startsWith('↳ '));
    for (const phase of [/turn-start reads/, /events written after the model/, /the rest/]) {
      const part = parts.find((r) => phase.test(r.what));
      assert.ok(part, `a breakdown row for ${phase}`);
      assert.equal(part.ours.n, 4);
      assert.ok(part.ours.p50 >= 0 && part.ours.p50 <= overhead!.ours.p95 + 0.001, `${part.what} is part of the overhead`);
    }
    assert.equal(relay!.ours.n, 100, 'every one of 20 deltas × 5 turns reached the client');
    assert.ok(relay!.ours.p50 >= 0 && relay!.baseline!.p50 >= 0);
    console.log(`      agent overhead per turn p50 ${overhead!.ours.p50.toFixed(2)} ms; token relay p50 ${relay!.ours.p50.toFixed(2)} ms`);
  });
});
