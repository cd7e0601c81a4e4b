import assert from 'node:assert/strict';
import { fromWebview, makeMessage, parseFromWebview, parseToWebview, readWebviewState, toWebview } from './webview';

describe('Webview message contract', () => {
  it('accepts the messages of each direction and rejects the other direction\'s', () => {
    const state = { type: 'session.state', payload: { user: { name: 'A', email: 'a@x', serverUrl: 'http://h' }, connection: 'open', detail: '' } };
    const parsed = parseToWebview(state);
    assert.ok(parsed.ok && parsed.message.type === 'session.state' && parsed.message.payload.user?.email === 'a@x');
    assert.equal(parseFromWebview(state).ok, false);
    const ready = parseFromWebview({ type: 'ready', payload: {} });
    assert.ok(ready.ok && ready.message.type === 'ready' && ready.message.payload.chatId === null && ready.message.payload.lastSeq === 0);
    const run = parseFromWebview({ type: 'command.run', payload: { command: 'signIn' } });
    assert.ok(run.ok);
  });

  it('drops unknown names, bad payloads and non-messages with a reason', () => {
    const cases: [unknown, RegExp][] = [
      [null, /not a message/],
      ['ready', /not a message/],
      [{ type: 'ready' }, /not a message/],
      [{ type: 'chat.hack', payload: {} }, /unknown message "chat.hack"/],
      [{ type: 'command.run', payload: { command: 'workbench.action.terminal.new' } }, /invalid command.run/],
      [{ type: 'log', payload: { level: 'debug', message: 'x' } }, /invalid log/],
      [{ type: '__proto__', payload: {} }, /unknown message/],
    ];
    for (const [raw, reason] of cases) {
      const parsed = parseFromWebview(raw);
      assert.ok(!parsed.ok && reason.test(parsed.error), `${JSON.stringify(raw)}: ${JSON.stringify(parsed)}`);
    }
    const badProject = parseToWebview({ type: 'project.selected', payload: { project: { id: 'x', name: 'n', slug: 's', status: 'HAPPY', statusMessage: null } } });
    assert.equal(badProject.ok, false);
  });

  it('checks outgoing payloads and restores saved state with defaults', () => {
    assert.deepEqual(makeMessage(toWebview, 'chat.availability', { enabled: false, reason: 'later' }), { type: 'chat.availability', payload: { enabled: false, reason: 'later' } });
    assert.throws(() => makeMessage(fromWebview, 'command.run', { command: 'rm -rf' as 'signIn' }));
    assert.deepEqual(readWebviewState({ draft: 'hi' }), { draft: 'hi', chat: null, attachments: [], mode: 'act' });
    assert.deepEqual(readWebviewState(undefined), { draft: '', chat: null, attachments: [], mode: 'act' });
    assert.deepEqual(readWebviewState({ draft: 42 }), { draft: '', chat: null, attachments: [], mode: 'act' });
    // A saved chat that no longer reads keeps the draft and drops the chat.
    assert.deepEqual(readWebviewState({ draft: 'kept', chat: { chatId: 'c', projectId: 'p', events: [{ seq: 0 }] } }), { draft: 'kept', chat: null, attachments: [], mode: 'act' });
  });

  it('validates the chat messages of both directions', () => {
    const event = { seq: 3, at: '2026-01-01T00:00:00.000Z', body: { type: 'text_delta', text: '<b>hi</b>' } };
    const events = parseToWebview({ type: 'chat.events', payload: { chatId: 'c', events: [event] } });
    assert.ok(events.ok && events.message.type === 'chat.events' && events.message.payload.events[0]!.seq === 3);
    const bad: unknown[] = [
      { type: 'chat.events', payload: { chatId: 'c', events: [{ ...event, seq: 0 }] } },
      { type: 'chat.events', payload: { chatId: 'c', events: [{ ...event, body: { type: 'shell', command: 'rm -rf /' } }] } },
      { type: 'chat.opened', payload: { chat: null, fromSeq: -1 } },
    ];
    for (const raw of bad) assert.equal(parseToWebview(raw).ok, false, JSON.stringify(raw));
    const approve = parseFromWebview({ type: 'chat.approve', payload: { approvalId: 'a', approved: false } });
    assert.ok(approve.ok && approve.message.type === 'chat.approve' && approve.message.payload.remember === false);
    const sent = parseFromWebview({ type: 'chat.send', payload: { text: '  build a todo app ' } });
    assert.ok(sent.ok && sent.message.type === 'chat.send' && sent.message.payload.text === 'build a todo app');
    const rejected: unknown[] = [
      { type: 'chat.send', payload: { text: '   ' } },
      { type: 'chat.openPreview', payload: { port: 0 } },
      { type: 'chat.openDiff', payload: { path: 'a', kind: 'rename', diff: '' } },
      { type: 'chat.approve', payload: { approvalId: 'a', approved: 'yes' } },
    ];
    for (const raw of rejected) assert.equal(parseFromWebview(raw).ok, false, JSON.stringify(raw));
  });
});
