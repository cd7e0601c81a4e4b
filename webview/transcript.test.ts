import assert from 'node:assert/strict';
import type { ChatEvent, ChatEventBody } from '../protocol/chat';
import { stateToSave, restoreTranscript } from './saved-state';
import { applyEvents, emptyTranscript } from './transcript';
import { initialView, reduce, type ViewModel } from './view-model';

const TURN = '11111111-1111-4111-8111-111111111111';
const APPROVAL = '22222222-2222-4222-8222-222222222222';
const CHAT = '33333333-3333-4333-8333-333333333333';
const at = '2026-01-01T00:00:00.000Z';
/** A field of a transcript item, whatever its kind. */
const field = (item: unknown, name: string): unknown => (item as Record<string, unknown>)[name];
const unkeyed = (items: object[]) => items.map((item) => ({ ...item, key: 0 }));
const events = (...bodies: ChatEventBody[]): ChatEvent[] => bodies.map((body, i) => ({ seq: i + 1, at, body }));

const turn = events(
  { type: 'user_message', text: 'Build it', source: 'user', author: null },
  { type: 'turn_started', turnId: TURN, model: 'm' },
  { type: 'text_delta', text: 'Writing ' },
  { type: 'text_delta', text: '**the** file.' },
  { type: 'assistant_message', content: [{ type: 'text', text: 'Writing **the** file.' }, { type: 'tool_call', id: 'c1', name: 'write_file', input: { path: 'a.txt' } }], stop: 'tool_use' },
  { type: 'tool_call_start', callId: 'c1', name: 'write_file', input: { path: 'a.txt', content: 'hi' } },
  { type: 'file_change', path: 'a.txt', kind: 'create', diff: '--- /dev/null\n+++ b/a.txt\n@@ -0,0 +1,1 @@\n+hi\n', truncated: false },
  { type: 'tool_call_result', callId: 'c1', name: 'write_file', isError: false, output: 'Wrote a.txt', durationMs: 12 },
  { type: 'todo_update', todos: [{ content: 'Write a.txt', status: 'completed' }] },
  { type: 'approval_request', approvalId: APPROVAL, callId: 'c2', tool: 'run_command', category: 'execute', summary: 'npm run dev' },
  { type: 'approval_answer', approvalId: APPROVAL, approved: true, by: null },
  { type: 'tool_call_result', callId: 'c2', name: 'run_command', isError: false, output: 'Started; port 5173 is listening', durationMs: 900 },
  { type: 'usage', model: 'm', inputTokens: 100, outputTokens: 20, cacheReadTokens: 0, cacheWriteTokens: 0, costUsd: 0.5 },
  { type: 'usage', model: 'm', inputTokens: 50, outputTokens: 5, cacheReadTokens: 0, cacheWriteTokens: 0, costUsd: null },
  { type: 'text_delta', text: 'Done.' },
  { type: 'done', turnId: TURN, status: 'completed', message: null },
);

describe('Chat transcript reducer', () => {
  it('folds a turn into messages, cards, plan, usage and preview ports', () => {
    const t = applyEvents(emptyTranscript(CHAT), turn);
    assert.deepEqual(t.items.map((i) => i.kind), ['user', 'text', 'tool', 'file', 'approval', 'tool', 'text']);
    assert.deepEqual(t.items[1], { kind: 'text', key: 3, text: 'Writing **the** file.', streaming: false });
    assert.equal(field(t.items[2], 'output'), 'Wrote a.txt');
    assert.equal(field(t.items[4], 'answer'), true);
    assert.deepEqual(t.todos, [{ content: 'Write a.txt', status: 'completed' }]);
    assert.deepEqual(t.usage, { inputTokens: 150, outputTokens: 25, costUsd: 0.5 });
    assert.deepEqual(t.ports, [5173]);
    assert.equal(t.running, false);
    assert.equal(t.lastSeq, 16);
    assert.equal(field(t.items[6], 'streaming'), false);
  });

  it('accumulates deltas while streaming and keeps unchanged items identical', () => {
    let t = applyEvents(emptyTranscript(CHAT), turn.slice(0, 3));
    const user = t.items[0];
    assert.deepEqual(t.items[1], { kind: 'text', key: 3, text: 'Writing ', streaming: true });
    assert.equal(t.running, true);
    t = applyEvents(t, turn.slice(3, 4));
    assert.equal(t.items[0], user, 'the user message is the same object');
    assert.equal(field(t.items[1], 'text'), 'Writing **the** file.');
  });

  it('drops events it already has: a replay after a reconnect changes nothing', () => {
    const once = applyEvents(emptyTranscript(CHAT), turn.slice(0, 8));
    const overlapped = applyEvents(applyEvents(once, turn.slice(4, 10)), turn);
    const straight = applyEvents(emptyTranscript(CHAT), turn);
    assert.deepEqual(overlapped.items, straight.items);
    assert.equal(applyEvents(straight, turn), straight, 'nothing new: the same object');
    assert.deepEqual(applyEvents(emptyTranscript(CHAT), [...turn].reverse()).items, straight.items, 'out of order within a batch');
  });

  it('resumes from saved state: merged deltas, the same transcript, then later events only', () => {
    const partial = applyEvents(emptyTranscript(CHAT), turn.slice(0, 12));
    const project = { id: 'p', name: 'P', slug: 'p', status: 'RUNNING' as const, statusMessage: null };
    const saved = stateToSave({ ...initialView('draft'), project, transcript: partial });
    assert.equal(saved.chat!.events.filter((e) => e.body.type === 'text_delta').length, 1, 'the two deltas are saved as one');
    assert.equal(saved.chat!.events.at(-1)!.seq, 12);
    const restored = restoreTranscript(JSON.parse(JSON.stringify(saved.chat)) as typeof saved.chat);
    // Keys may differ: a saved merged delta carries the later seq.
    assert.deepEqual(unkeyed(restored.items), unkeyed(partial.items));
    assert.equal(restored.lastSeq, 12);
    // The extension resumes after seq 12 and may repeat a few events.
    let view: ViewModel = { ...initialView(), project, transcript: restored };
    view = reduce(view, { type: 'chat.opened', payload: { chat: { id: CHAT, projectId: 'p', title: 't', state: 'running', lastSeq: 12, updatedAt: at }, fromSeq: 12 } });
    view = reduce(view, { type: 'chat.events', payload: { chatId: CHAT, events: turn.slice(10) } });
    assert.deepEqual(unkeyed(view.transcript.items), unkeyed(applyEvents(emptyTranscript(CHAT), turn).items));
  });

  it('says "no model" once, with the Change model action and no Resume; other failures once too', () => {
    const t = applyEvents(emptyTranscript(CHAT), events(
      { type: 'user_message', text: 'hi', source: 'user', author: null },
      { type: 'turn_started', turnId: TURN, model: null },
      { type: 'error', code: 'no_model', message: 'No AI model is configured … PUT /api/teams/<teamId>/model …' },
      { type: 'done', turnId: TURN, status: 'failed', message: 'No AI model is configured … PUT /api/teams/<teamId>/model …' },
    ));
    const notes = t.items.filter((i) => i.kind === 'note');
    assert.equal(notes.length, 1, JSON.stringify(notes));
    assert.equal(notes[0]!.kind === 'note' && notes[0]!.action, 'changeModel');
    assert.doesNotMatch(JSON.stringify(notes), /\/api\//, 'points to a REST route');
    assert.equal(t.needsModel, true);
    assert.equal(t.lastStatus, 'failed');
    const other = applyEvents(emptyTranscript(CHAT), events(
      { type: 'turn_started', turnId: TURN, model: 'm' },
      { type: 'error', code: 'provider', message: 'The provider said no.' },
      { type: 'done', turnId: TURN, status: 'failed', message: 'The provider said no.' },
    ));
    assert.deepEqual(other.items.map((i) => i.kind === 'note' && [i.level, i.text]), [['error', 'The provider said no.']]);
    assert.equal(other.needsModel, false);
    const interrupted = applyEvents(emptyTranscript(CHAT), events({ type: 'turn_started', turnId: TURN, model: 'm' }, { type: 'done', turnId: TURN, status: 'interrupted', message: null }));
    assert.deepEqual(interrupted.items.map((i) => i.kind === 'note' && i.text), ['Turn interrupted.']);
  });

  it('ties file changes to the checkpoint from before the turn, and marks undone files', () => {
    const CP0 = '44444444-4444-4444-8444-444444444444';
    const CP1 = '55555555-5555-4555-8555-555555555555';
    const diff = '--- a\n+++ b\n';
    let t = applyEvents(emptyTranscript(CHAT), events(
      { type: 'checkpoint', checkpointId: CP0, commit: 'c0', message: 'After the agent\'s turn', files: [] },
      { type: 'turn_started', turnId: TURN, model: 'm' },
      { type: 'checkpoint', checkpointId: CP1, commit: 'c1', message: 'Before the agent changed files', files: [] },
      { type: 'file_change', path: 'a.txt', kind: 'modify', diff, truncated: false },
      { type: 'file_change', path: 'b.txt', kind: 'create', diff, truncated: false },
      { type: 'file_change', path: 'a.txt', kind: 'modify', diff, truncated: false },
      { type: 'done', turnId: TURN, status: 'completed', message: null },
    ));
    const files = t.items.filter((i) => i.kind === 'file');
    assert.deepEqual(files.map((f) => f.kind === 'file' && f.checkpointId), [CP1, CP1, CP1]);
    const changes = t.items.find((i) => i.kind === 'changes');
    assert.deepEqual(changes && changes.kind === 'changes' && [changes.checkpointId, changes.paths], [CP1, ['a.txt', 'b.txt']]);
    t = applyEvents(t, [{ seq: 8, at, body: { type: 'restored', checkpointId: CP1, conversationSeq: null, paths: ['b.txt'], by: null } }]);
    assert.deepEqual(t.items.filter((i) => i.kind === 'file').map((f) => f.kind === 'file' && f.undone), [false, true, false]);
    assert.equal(t.items.find((i) => i.kind === 'changes')?.kind === 'changes' && (t.items.find((i) => i.kind === 'changes') as { undone: boolean }).undone, false);
    t = applyEvents(t, [{ seq: 9, at, body: { type: 'restored', checkpointId: CP1, conversationSeq: null, paths: ['a.txt'], by: null } }]);
    assert.equal((t.items.find((i) => i.kind === 'changes') as { undone: boolean }).undone, true);
  });

  it('starts over for another chat and ignores events of chats not open', () => {
    let view = reduce(initialView(), { type: 'chat.opened', payload: { chat: { id: CHAT, projectId: 'p', title: 't', state: 'idle', lastSeq: 0, updatedAt: at }, fromSeq: 0 } });
    view = reduce(view, { type: 'chat.events', payload: { chatId: CHAT, events: turn.slice(0, 1) } });
    view = reduce(view, { type: 'chat.events', payload: { chatId: TURN, events: turn } });
    assert.equal(view.transcript.items.length, 1);
    view = reduce(view, { type: 'chat.opened', payload: { chat: null, fromSeq: 0 } });
    assert.deepEqual(view.transcript.items, []);
  });
});
