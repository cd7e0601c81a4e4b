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

  it('drops the old conversation on a sign-out and keeps why', () => {
    let view = reduce(initialView(), { type: 'session.state', payload: { user: { name: 'Ada', email: 'ada@x', serverUrl: 'http://h' }, connection: 'open', detail: '' } });
    view = reduce(view, { type: 'chat.opened', payload: { chat: { id: 'c', projectId: 'p', title: 't', state: 'idle', lastSeq: 1, updatedAt: '2026-01-01T00:00:00.000Z' }, fromSeq: 0 } });
    view = reduce(view, { type: 'chat.events', payload: { chatId: 'c', events: [{ seq: 1, at: '2026-01-01T00:00:00.000Z', body: { type: 'user_message', text: 'hi', source: 'user', author: null } }] } });
    assert.equal(view.transcript.items.length, 1);
    view = reduce(view, { type: 'session.state', payload: { user: null, connection: 'signedOut', detail: 'Signed out of http://h: the server setting changed to http://wrong.' } });
    assert.deepEqual(view.transcript.items, []);
    assert.equal(view.openChat, null);
    assert.match(view.detail, /server setting changed/);
  });
});
