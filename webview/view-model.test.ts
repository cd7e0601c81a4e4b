import assert from 'node:assert/strict';
import { initialView, projectStatusLabel, reduce } from './view-model';

describe('Chat view model', () => {
  it('follows session, project and chat messages and keeps the draft', () => {
    let view = initialView('half a thought');
    view = reduce(view, { type: 'session.state', payload: { user: { name: 'Ada', email: 'ada@x', serverUrl: 'http://h' }, connection: 'open', detail: '' } });
    view = reduce(view, { type: 'project.selected', payload: { project: { id: '1', name: 'Todo', slug: 'todo', status: 'ERROR', statusMessage: 'disk full' } } });
    view = reduce(view, { type: 'chat.availability', payload: { enabled: false, reason: 'Pick a project to chat about.' } });
    assert.equal(view.user?.name, 'Ada');
    assert.equal(view.connection, 'open');
    assert.equal(view.draft, 'half a thought');
    assert.equal(view.chat.reason, 'Pick a project to chat about.');
    assert.equal(projectStatusLabel(view.project!), 'Error: disk full');
  });

  it('shows the team\'s model', () => {
    const view = reduce(initialView(), { type: 'model.state', payload: { teamId: 't', label: 'gpt-4.1 · OpenAI' } });
    assert.deepEqual(view.teamModel, { teamId: 't', label: 'gpt-4.1 · OpenAI' });
  });
});
