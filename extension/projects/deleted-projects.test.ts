import assert from 'node:assert/strict';
import type { Project } from '../../protocol/rest/projects';
import { DeletedProjects } from './deleted-projects';
import { ProjectsModel } from './projects-model';

const TEAM = '0d6c2a5e-5b1f-4c9a-8f3e-2a1b3c4d5e6f';
let n = 0;
const make = (over: Partial<Project> = {}): Project => ({
  id: `7f1c1a52-6d7c-4b8e-9d55-8a3c1f0e2b${String(++n).padStart(2, '0')}`, teamId: TEAM, name: `P${n}`, slug: `p-${n}`,
  template: 'empty', desiredState: 'RUNNING', status: 'RUNNING', statusMessage: null, version: 1,
  createdAt: '2025-01-01T00:00:00.000Z', updatedAt: '2025-01-01T00:00:00.000Z', database: null, ...over,
});

describe('Deleted projects', () => {
  it('notices a project deleted by anyone (marked, or gone from its team\'s list), once, by name', () => {
    const model = new ProjectsModel();
    const seen: string[] = [];
    const deleted = new DeletedProjects(model, (p) => seen.push(p.name));
    model.setTeams([{ id: TEAM, name: 'Team', role: 'owner' }]);
    const a = make({ name: 'Alpha' });
    const b = make({ name: 'Beta' });
    const c = make({ name: 'Gamma' });
    model.setProjects(TEAM, [a, b, c]);
    assert.deepEqual(seen, []);
    model.apply({ ...a, version: 2, desiredState: 'DELETED', status: 'STOPPING' });
    model.apply({ ...a, version: 3, desiredState: 'DELETED', status: 'TERMINATED' });
    // Another member deleted Beta while we were away: the next snapshot lacks it.
    model.setProjects(TEAM, [c]);
    assert.deepEqual(seen, ['Alpha', 'Beta']);
    assert.equal(deleted.nameOf(a.id), 'Alpha');
    assert.equal(deleted.nameOf(b.id), 'Beta');
    assert.equal(deleted.nameOf(c.id), undefined);
  });

  it('does not take a sign-out or a lost team for a deletion', () => {
    const model = new ProjectsModel();
    const seen: string[] = [];
    const deleted = new DeletedProjects(model, (p) => seen.push(p.name));
    model.setTeams([{ id: TEAM, name: 'Team', role: 'owner' }]);
    const a = make();
    model.setProjects(TEAM, [a]);
    model.clear();
    model.setTeams([]);
    assert.deepEqual(seen, []);
    assert.equal(deleted.nameOf(a.id), undefined);
  });
});
