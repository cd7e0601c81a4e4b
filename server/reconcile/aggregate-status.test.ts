import assert from 'node:assert/strict';
import { aggregateStatus } from './aggregate-status';

describe('aggregateStatus', () => {
  it('follows the precedence ERROR > CREATING > all equal > transitional > PARTIAL', () => {
    assert.equal(aggregateStatus(['RUNNING', 'ERROR', 'CREATING']), 'ERROR');
    assert.equal(aggregateStatus(['RUNNING', 'CREATING']), 'CREATING');
    assert.equal(aggregateStatus(['RUNNING', 'RUNNING']), 'RUNNING');
    assert.equal(aggregateStatus(['STOPPED']), 'STOPPED');
    assert.equal(aggregateStatus(['RUNNING', 'STARTING']), 'STARTING');
    assert.equal(aggregateStatus(['STOPPED', 'STOPPING']), 'STOPPING');
    assert.equal(aggregateStatus(['RUNNING', 'STOPPED']), 'PARTIAL');
    assert.equal(aggregateStatus([]), 'TERMINATED');
  });
});
