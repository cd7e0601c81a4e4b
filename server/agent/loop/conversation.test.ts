import assert from 'node:assert/strict';
import type { ChatEvent, ChatEventBody } from '../../../protocol/chat';
import { conversationFromEvents, currentMode, SUMMARY_PREFIX } from './conversation';

const log = (...bodies: ChatEventBody[]): ChatEvent[] => bodies.map((body, i) => ({ seq: i + 1, at: new Date(0).toISOString(), body }));
const user = (text: string): ChatEventBody => ({ type: 'user_message', text, source: 'user', author: null });
const prompt = (text: string, mode: 'plan' | 'act', plan?: { content: string; status: 'pending' | 'completed' }[]): ChatEventBody =>
  ({ type: 'user_message', text, source: 'user', author: null, mode, ...(plan && { plan }) });

describe('conversation from events', () => {
  it('rebuilds messages, closing tool calls an interruption left open', () => {
    const messages = conversationFromEvents(log(
      user('build'),
      { type: 'text_delta', text: 'ok' },
      { type: 'assistant_message', content: [{ type: 'text', text: 'ok' }, { type: 'tool_call', id: 'a', name: 'read_file', input: {} }, { type: 'tool_call', id: 'b', name: 'grep', input: {} }], stop: 'tool_use' },
      { type: 'tool_call_result', callId: 'a', name: 'read_file', isError: false, output: 'content', durationMs: 1 },
      { type: 'done', turnId: '00000000-0000-4000-8000-000000000000', status: 'interrupted', message: null },
      user('go on'),
    )).map((m) => m.message);
    assert.deepEqual(messages.map((m) => m.role), ['user', 'assistant', 'tool', 'tool', 'user']);
    assert.deepEqual(messages[3], { role: 'tool', toolCallId: 'b', content: messages[3]!.role === 'tool' ? messages[3]!.content : '', isError: true });
    assert.match(JSON.stringify(messages[3]), /interrupted/);
  });

  it('applies compactions and conversation restores', () => {
    const messages = conversationFromEvents(log(
      user('one'),
      { type: 'assistant_message', content: [{ type: 'text', text: 'first' }], stop: 'end_turn' },
      user('two'),
      { type: 'assistant_message', content: [{ type: 'text', text: 'second' }], stop: 'end_turn' },
      { type: 'compaction', summary: 'one was answered', upToSeq: 2, tokensBefore: 100, tokensAfter: 10 },
      user('three'),
      { type: 'assistant_message', content: [{ type: 'text', text: 'third' }], stop: 'end_turn' },
      { type: 'restored', checkpointId: '00000000-0000-4000-8000-000000000000', conversationSeq: 5, by: null },
    )).map((m) => m.message);
    assert.deepEqual(messages, [
      { role: 'user', content: `${SUMMARY_PREFIX}one was answered` },
      { role: 'user', content: 'two' },
      { role: 'assistant', content: [{ type: 'text', text: 'second' }] },
    ]);
  });

  it('gives the model an act message\'s edited plan, and keeps a prompt\'s mode through resumes and verify rounds', () => {
    const events = log(
      prompt('plan a site', 'plan'),
      prompt('Carry out the plan.', 'act', [{ content: 'Write index.html', status: 'pending' }, { content: 'Serve it', status: 'completed' }]),
    );
    const [, act] = conversationFromEvents(events).map((m) => m.message);
    assert.equal(act?.role, 'user');
    assert.match(String(act?.content), /^Carry out the plan\.\n\nThe plan to carry out.*\n1\. \[pending\] Write index\.html\n2\. \[completed\] Serve it$/);
    assert.equal(currentMode(events), 'act');
    assert.equal(currentMode(log(prompt('plan', 'plan'), { type: 'user_message', text: 'Continue', source: 'resume', author: null })), 'plan');
    assert.equal(currentMode(log(user('old event without a mode'))), 'act');
  });
});
