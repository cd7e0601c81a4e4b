import assert from 'node:assert/strict';
import type { Project } from '../../protocol/rest/projects';
import { projectLook } from './project-presentation';

describe('project presentation', () => {
  const project = (status: Project['status'], statusMessage: string | null = null): Project => ({
    id: '00000000-0000-4000-8000-000000000001', teamId: '00000000-0000-4000-8000-000000000002', name: 'Shop', slug: 'shop-1a2b',
    template: 'empty', desiredState: 'RUNNING', status, statusMessage, version: 1, createdAt: new Date(0).toISOString(), updatedAt: new Date(0).toISOString(), database: null,
  });

  it('shows a degraded sandbox as a warning with its reason, offering a restart', () => {
    const look = projectLook(project('DEGRADED', 'no process can be started: the sandbox\'s process limit is used up (EAGAIN); restart the sandbox'));
    assert.equal(look.icon, 'warning');
    assert.match(look.description, /^Degraded: no process can be started/);
    assert.match(look.contextValue, /desired-RUNNING/);
    assert.match(look.contextValue, /status-DEGRADED/);
    assert.doesNotMatch(look.description, /→/, 'degraded is not on its way anywhere');
  });
});
