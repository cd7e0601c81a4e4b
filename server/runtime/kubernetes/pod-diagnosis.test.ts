import assert from 'node:assert/strict';
import type { V1Pod } from '@kubernetes/client-node';
import { progressOf, whyNotRunning } from './pod-diagnosis';

const pod = (status: V1Pod['status']): V1Pod => ({ spec: { containers: [{ name: 'sandbox', image: 'slipway-sandbox:abc' }] }, status });
const container = (state: object, extra: object = {}) => ({ containerStatuses: [{ name: 'sandbox', image: '', imageID: '', ready: false, restartCount: 0, state, ...extra }] });
const NOW = Date.parse('2026-01-01T00:00:10Z');

describe('sandbox pod diagnosis (plain words for the project status)', () => {
  it('names the image the nodes cannot get', () => {
    for (const reason of ['ErrImagePull', 'ImagePullBackOff', 'ErrImageNeverPull']) {
      assert.match(whyNotRunning(pod({ phase: 'Pending', ...container({ waiting: { reason } }) }))!, new RegExp(`cannot get the sandbox image slipway-sandbox:abc \\(${reason}\\)`));
    }
  });

  it('says when the sandbox ran out of memory, exited, crashed repeatedly or was evicted', () => {
    assert.match(whyNotRunning(pod({ phase: 'Failed', ...container({ terminated: { exitCode: 137, reason: 'OOMKilled' } }) }))!, /ran out of memory/);
    assert.equal(whyNotRunning(pod({ phase: 'Failed', ...container({ terminated: { exitCode: 3, reason: 'Error' } }) })), 'the sandbox exited with code 3');
    assert.match(whyNotRunning(pod({ phase: 'Running', ...container({ waiting: { reason: 'CrashLoopBackOff' } }, { lastState: { terminated: { exitCode: 1, reason: 'Error' } } }) }))!, /keeps crashing \(last exit code 1, Error\)/);
    assert.match(whyNotRunning(pod({ phase: 'Failed', reason: 'Evicted', message: 'The node was low on resource: memory.' }))!, /the node evicted the sandbox: The node was low on resource: memory\./);
  });

  it("gives the scheduler's reason once the pod has been unschedulable for a moment", () => {
    const unschedulable = (since: string, message: string) => pod({ phase: 'Pending', conditions: [{ type: 'PodScheduled', status: 'False', reason: 'Unschedulable', message, lastTransitionTime: new Date(since) }] });
    const noFit = '0/3 nodes are available: 3 Insufficient memory.';
    assert.equal(whyNotRunning(unschedulable('2026-01-01T00:00:09Z', noFit), NOW), undefined, 'a second is not yet a verdict');
    assert.equal(whyNotRunning(unschedulable('2026-01-01T00:00:01Z', noFit), NOW), `no node can run the sandbox: ${noFit}`);
    assert.match(whyNotRunning(unschedulable('2026-01-01T00:00:01Z', '0/1 nodes are available: 1 pod has unbound immediate PersistentVolumeClaims.'), NOW)!, /no volume can be found for the sandbox's claims/);
  });

  it('says why a container could not be created, but waits while the kubelet only has not synced the Secret yet', () => {
    const config = (message: string) => pod({ phase: 'Pending', ...container({ waiting: { reason: 'CreateContainerConfigError', message } }) });
    assert.equal(whyNotRunning(config('secret "slipway-s-1" not found')), 'the sandbox container could not be created: secret "slipway-s-1" not found');
    assert.match(whyNotRunning(config('couldn\'t find key password in Secret ns/slipway-s-1'))!, /could not be created: couldn't find key/);
    const syncing = config('failed to sync secret cache: timed out waiting for the condition');
    assert.equal(whyNotRunning(syncing), undefined, 'the kubelet retries once its watch has the Secret');
    assert.equal(progressOf(syncing), 'the container is waiting: CreateContainerConfigError (failed to sync secret cache: timed out waiting for the condition)');
  });

  it('leaves a pod that is still coming up alone, and describes its progress', () => {
    const creating = pod({ phase: 'Pending', ...container({ waiting: { reason: 'ContainerCreating' } }) });
    assert.equal(whyNotRunning(creating), undefined);
    assert.equal(progressOf(creating), 'the container is waiting: ContainerCreating');
    assert.equal(progressOf(undefined), 'no pod exists');
  });
});
