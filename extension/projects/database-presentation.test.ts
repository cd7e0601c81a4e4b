import assert from 'node:assert/strict';
import type { Project } from '../../protocol/rest/projects';
import { databaseLook } from './database-presentation';

describe('database presentation', () => {
  const project = (database: Project['database'], desiredState: Project['desiredState'] = 'RUNNING'): Project => ({
    id: '00000000-0000-4000-8000-000000000001', teamId: '00000000-0000-4000-8000-000000000002', name: 'Shop', slug: 'shop-1a2b',
    template: 'web-app-postgres', desiredState, status: 'RUNNING', statusMessage: null, version: 1,
    createdAt: new Date(0).toISOString(), updatedAt: new Date(0).toISOString(), database,
  });

  it('shows nothing for a project without a database', () => {
    assert.equal(databaseLook(project(null)), undefined);
  });

  it('shows its status, and offers the sandbox actions only while the project runs', () => {
    const running = databaseLook(project({ status: 'RUNNING', statusMessage: null }))!;
    assert.deepEqual([running.label, running.description, running.icon], ['PostgreSQL', 'Running', 'database']);
    assert.match(running.contextValue, /^database db-status-RUNNING db-sandbox-running$/);
    assert.match(running.tooltip, /DATABASE_URL/);
    const stopped = databaseLook(project({ status: 'STOPPED', statusMessage: null }, 'STOPPED'))!;
    assert.equal(stopped.contextValue, 'database db-status-STOPPED');
    assert.equal(databaseLook(project({ status: 'TERMINATING', statusMessage: null }))!.description, 'Removing');
  });

  it('shows a failure with its diagnosis', () => {
    const failed = databaseLook(project({ status: 'ERROR', statusMessage: 'the database exited with code 1' }))!;
    assert.equal(failed.description, 'Error: the database exited with code 1');
    assert.equal(failed.icon, 'error');
  });
});
