import assert from 'node:assert/strict';
import { readWebviewState } from '../protocol/webview';
import { PNG_1X1 } from '../protocol/testing/images';
import { stateToSave } from './saved-state';
import { initialView } from './view-model';

describe('chat view state: the input\'s chips survive the view being rebuilt', () => {
  const chips = [{ kind: 'file' as const, path: 'src/app.ts' }, { kind: 'image' as const, mediaType: 'image/png' as const, data: PNG_1X1, name: 'design.png' }];

  it('saves and restores the draft\'s attachments with the draft', () => {
    const saved = JSON.parse(JSON.stringify(stateToSave(initialView('look at', chips))));
    assert.deepEqual(readWebviewState(saved), { draft: 'look at', attachments: chips, chat: null });
  });

  it('unreadable attachments are dropped alone; the draft and the chat stay', () => {
    const chat = { chatId: 'c', projectId: 'p', events: [] };
    const state = readWebviewState({ draft: 'keep me', chat, attachments: [{ kind: 'file', path: '../../etc/passwd' }] });
    assert.deepEqual(state, { draft: 'keep me', attachments: [], chat });
    assert.deepEqual(readWebviewState({ draft: 'older state' }).attachments, []);
    assert.deepEqual(readWebviewState({ draft: 'x', chat: { chatId: 'c', events: [{ seq: 0 }] }, attachments: chips }), { draft: 'x', attachments: chips, chat: null }, 'a broken chat alone');
  });
});
