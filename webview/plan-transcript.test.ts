import assert from 'node:assert/strict';
import type { ChatEvent, ChatEventBody } from '../protocol/chat';
import { applyEvents, emptyTranscript, rulesNote } from './transcript';

const TURN = '00000000-0000-4000-8000-000000000001';
const log = (...bodies: ChatEventBody[]): ChatEvent[] => bodies.map((body, i) => ({ seq: i + 1, at: new Date(0).toISOString(), body }));

describe('transcript: modes and rules', () => {
  it('knows a completed plan turn (the view offers its plan for Act), and that an act prompt ends it', () => {
    const planned = applyEvents(emptyTranscript('c'), log(
      { type: 'user_message', text: 'Plan it', source: 'user', author: null, mode: 'plan' },
      { type: 'turn_started', turnId: TURN, model: 'm' },
      { type: 'todo_update', todos: [{ content: 'Write it', status: 'pending' }] },
      { type: 'done', turnId: TURN, status: 'completed', message: null },
    ));
    assert.deepEqual([planned.lastMode, planned.lastStatus, planned.todos.length], ['plan', 'completed', 1]);
    assert.equal(planned.items[0]?.kind === 'user' && planned.items[0].mode, 'plan');
    const acting = applyEvents(planned, [{ seq: 5, at: new Date(0).toISOString(), body: { type: 'user_message', text: 'Carry out the plan.', source: 'user', author: null, mode: 'act', plan: [{ content: 'Write it', status: 'pending' }] } }]);
    assert.equal(acting.lastMode, 'act');
    const resumed = applyEvents(planned, [{ seq: 5, at: new Date(0).toISOString(), body: { type: 'user_message', text: 'Continue', source: 'resume', author: null } }]);
    assert.equal(resumed.lastMode, 'plan', 'a resume keeps the mode');
  });

  it('says which rules are active, their sizes and what the cap cut', () => {
    assert.equal(rulesNote([{ path: 'AGENTS.md', bytes: 25, includedBytes: 25 }, { path: '.slipway/rules/big.md', bytes: 30_720, includedBytes: 20_480 }, { path: '.slipway/rules/z.md', bytes: 31, includedBytes: 0 }], 'big.md: 10240 of 30720 bytes left out'),
      'Project rules active: AGENTS.md (25 B) · .slipway/rules/big.md (30.0 KB, 20.0 KB used) · .slipway/rules/z.md (31 B, not used). Cut: big.md: 10240 of 30720 bytes left out.');
    assert.match(rulesNote([], null), /No project rules are active now/);
    const t = applyEvents(emptyTranscript('c'), log({ type: 'rules', files: [{ path: 'AGENTS.md', bytes: 10, includedBytes: 10 }], cut: null }));
    assert.deepEqual(t.items.map((i) => i.kind === 'note' && i.text), ['Project rules active: AGENTS.md (10 B)']);
  });
});
