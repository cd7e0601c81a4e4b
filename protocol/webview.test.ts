import assert from 'node:assert/strict';
import { fromWebview, makeMessage, parseFromWebview, parseToWebview, readWebviewState, toWebview } from './webview';

describe('Webview message contract', () => {
  it('accepts the messages of each direction and rejects the other direction\'s', () => {
    const state = { type: 'session.state', payload: { user: { name: 'A', email: 'a@x', serverUrl: 'http://h' }, connection: 'open', detail: '' } };
    const parsed = parseToWebview(state);
    assert.ok(parsed.ok && parsed.message.type === 'session.state' && parsed.message.payload.user?.email === 'a@x');
    assert.equal(parseFromWebview(state).ok, false);
    const ready = parseFromWebview({ type: 'ready', payload: {} });
    assert.ok(ready.ok && ready.message.type === 'ready');
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
    assert.deepEqual(readWebviewState({ draft: 'hi' }), { draft: 'hi' });
    assert.deepEqual(readWebviewState(undefined), { draft: '' });
    assert.deepEqual(readWebviewState({ draft: 42 }), { draft: '' });
  });
});
