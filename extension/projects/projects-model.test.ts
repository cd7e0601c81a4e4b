import assert from 'node:assert/strict';
import type { Project } from '../../protocol/rest/projects';
import { projectLook } from './project-presentation';
import { ProjectsModel } from './projects-model';

const TEAM = '0d6c2a5e-5b1f-4c9a-8f3e-2a1b3c4d5e6f';
let n = 0;
const make = (over: Partial<Project> = {}): Project => ({
  id: `6f1c1a52-6d7c-4b8e-9d55-8a3c1f0e2b${String(++n).padStart(2, '0')}`, teamId: TEAM, name: `P${n}`, slug: `p-${n}`,
  template: 'empty', desiredState: 'RUNNING', status: 'CREATING', statusMessage: null, version: 1,
  createdAt: `2025-01-0${n % 9 + 1}T00:00:00.000Z`, updatedAt: '2025-01-01T00:00:00.000Z', database: null, ...over,
});

describe('Projects model', () => {
  it('keeps snapshots newest first, applies newer pushes, ignores stale ones and other teams', () => {
    const model = new ProjectsModel();
    let changes = 0;
    model.onChange(() => changes++);
    model.setTeams([{ id: TEAM, name: 'Team', role: 'owner' }]);
    assert.equal(model.projects(TEAM), undefined, 'not loaded yet');
    const a = make({ createdAt: '2025-01-01T00:00:00.000Z' });
    const b = make({ createdAt: '2025-02-01T00:00:00.000Z' });
    model.setProjects(TEAM, [a, b]);
    assert.deepEqual(model.projects(TEAM)!.map((p) => p.id), [b.id, a.id]);
    assert.equal(model.apply({ ...a, version: 2, status: 'RUNNING' }), true);
    assert.equal(model.find(a.id)!.status, 'RUNNING');
    assert.equal(model.apply({ ...a, version: 1, status: 'ERROR' }), false, 'stale');
    // Only its database changed (the reconciler's word on it): still news.
    assert.equal(model.apply({ ...a, version: 2, status: 'RUNNING' }), false, 'nothing new');
    assert.equal(model.apply({ ...a, version: 2, status: 'RUNNING', database: { status: 'RUNNING', statusMessage: null } }), true);
    assert.equal(model.find(a.id)!.database?.status, 'RUNNING');
    assert.equal(model.apply(make({ teamId: '11111111-1111-4111-8111-111111111111' })), false, 'not our team');
    assert.equal(model.apply({ ...b, version: 5, desiredState: 'DELETED', status: 'TERMINATED' }), true);
    assert.equal(model.find(b.id), undefined, 'deleted and gone');
    assert.equal(changes, 5);
    model.clear('boom');
    assert.equal(model.problem, 'boom');
    assert.equal(model.all().length, 0);
  });

  it('describes status, the state it is heading to, and errors with their message', () => {
    assert.equal(projectLook(make({ status: 'CREATING', desiredState: 'RUNNING' })).description, 'Creating → Running');
    assert.equal(projectLook(make({ status: 'CREATING', desiredState: 'RUNNING' })).icon, 'loading~spin');
    const running = projectLook(make({ status: 'RUNNING', desiredState: 'RUNNING' }));
    assert.equal(running.description, 'Running');
    assert.equal(running.contextValue, 'project desired-RUNNING status-RUNNING database-no');
    assert.equal(projectLook(make({ status: 'TERMINATING', desiredState: 'DELETED' })).description, 'Terminating → Deleted');
    const error = projectLook(make({ status: 'ERROR', statusMessage: 'image not found' }));
    assert.equal(error.description, 'Error: image not found');
    assert.equal(error.icon, 'error');
    assert.match(error.tooltip, /Status: Error — image not found/);
  });
});
