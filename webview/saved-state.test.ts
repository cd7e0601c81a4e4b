import assert from 'node:assert/strict';
import { readWebviewState } from '../protocol/webview';
import { PNG_1X1 } from '../protocol/testing/images';
import { stateToSave } from './saved-state';
import { initialView } from './view-model';

describe('chat view state: the input\'s chips survive the view being rebuilt', () => {
  const chips = [{ kind: 'file' as const, path: 'src/app.ts' }, { kind: 'image' as const, mediaType: 'image/png' as const, data: PNG_1X1, name: 'design.png' }];

  it('saves and restores the draft\'s attachments with the draft', () => {
    const saved = JSON.parse(JSON.stringify(stateToSave(initialView('look at', chips))));
    assert.deepEqual(readWebviewState(saved), { draft: 'look at', attachments: chips, mode: 'act', chat: null });
  });

  it('unreadable attachments are dropped alone; the draft and the chat stay', () => {
    const chat = { chatId: 'c', projectId: 'p', events: [] };
    const state = readWebviewState({ draft: 'keep me', chat, attachments: [{ kind: 'file', path: '../../etc/passwd' }] });
    assert.deepEqual(state, { draft: 'keep me', attachments: [], mode: 'act', chat });
    assert.deepEqual(readWebviewState({ draft: 'older state' }).attachments, []);
    assert.deepEqual(readWebviewState({ draft: 'x', chat: { chatId: 'c', events: [{ seq: 0 }] }, attachments: chips }), { draft: 'x', attachments: chips, mode: 'act', chat: null }, 'a broken chat alone');
  });
});

describe('chat view state: the Act | Plan switch survives the view being rebuilt', () => {
  it('saves Plan and restores Plan (it used to come back as Act)', () => {
    const saved = JSON.parse(JSON.stringify(stateToSave(initialView('plan this', [], 'plan'))));
    assert.equal(readWebviewState(saved).mode, 'plan');
    assert.equal(readWebviewState(JSON.parse(JSON.stringify(stateToSave(initialView())))).mode, 'act');
  });

  it('an older state without a mode, or an unknown mode, reads as Act and loses nothing else', () => {
    assert.deepEqual(readWebviewState({ draft: 'old' }), { draft: 'old', attachments: [], mode: 'act', chat: null });
    assert.deepEqual(readWebviewState({ draft: 'odd', mode: 'yolo' }), { draft: 'odd', attachments: [], mode: 'act', chat: null });
  });

  it('a broken saved chat does not cost the mode', () => {
    const state = readWebviewState({ draft: 'x', mode: 'plan', chat: { chatId: 'c', events: [{ seq: 0 }] } });
    assert.deepEqual(state, { draft: 'x', attachments: [], mode: 'plan', chat: null });
  });
});
