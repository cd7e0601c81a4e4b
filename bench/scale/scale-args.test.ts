import assert from 'node:assert/strict';
import { scaleArgs } from './scale-args';

describe('npm run bench -- --scale', () => {
  it('is off without --scale, and reads N and the options with it', () => {
    assert.equal(scaleArgs([]), undefined);
    assert.deepEqual(scaleArgs(['--scale']), { n: 40, concurrency: 8, compareConcurrency: 4, idleSeconds: 15, kubeN: 12 });
    assert.deepEqual(scaleArgs(['--scale', '500', '--concurrency', '16', '--idle', '30', '--kube-scale', '8']), { n: 500, concurrency: 16, compareConcurrency: 4, idleSeconds: 30, kubeN: 8 });
  });

  it('refuses an option that is not a positive whole number', () => {
    assert.throws(() => scaleArgs(['--scale', '10', '--concurrency', '0']), /--concurrency takes a positive whole number/);
    assert.throws(() => scaleArgs(['--scale', '10', '--idle', 'x']), /--idle/);
  });
});
