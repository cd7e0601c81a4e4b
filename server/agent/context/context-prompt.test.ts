import assert from 'node:assert/strict';
import type { ChatEvent } from '../../../protocol/chat';
import type { StoredAttachment } from '../../../protocol/chat-context';
import { PNG_1X1 } from '../../../protocol/testing/images';
import { conversationFromEvents } from '../loop/conversation';
import { contextText } from './context-prompt';

const at = '2026-01-01T00:00:00.000Z';
const prompt = (attachments?: StoredAttachment[], extra: Partial<Extract<ChatEvent['body'], { type: 'user_message' }>> = {}): ChatEvent =>
  ({ seq: 1, at, body: { type: 'user_message', text: 'Fix it', source: 'user', author: null, ...(attachments && { attachments }), ...extra } });

describe('context from the editor, as the model reads it', () => {
  it('lists paths as references, fences content so it cannot close its fence, counts images', () => {
    const text = contextText([
      { kind: 'file', path: 'src/a.ts', missing: false, bytes: 120 },
      { kind: 'folder', path: 'src', missing: false, bytes: null },
      { kind: 'file', path: 'gone.ts', missing: true, bytes: null },
      { kind: 'selection', path: 'src/a.ts', startLine: 2, endLine: 3, language: 'ts"><script>', text: 'a ```` b' },
      { kind: 'terminal', name: 'build', output: 'error TS2304' },
      { kind: 'image', mediaType: 'image/png', data: PNG_1X1 },
    ]);
    assert.match(text, /- src\/a.ts \(120 bytes\)\n- src\/\n- gone.ts \(not found in the workspace\)\n/);
    assert.match(text, /Selected in src\/a.ts, lines 2-3:\n`````tsscript\na ```` b\n`````/, 'a longer fence; the language reduced to a word');
    assert.match(text, /Last output of the terminal "build":\n```\nerror TS2304\n```/);
    assert.match(text, /1 image attached\./);
    assert.ok(!text.includes(PNG_1X1), 'image bytes are never text');
    assert.equal(contextText([]), '');
  });

  it('rebuilds the prompt from the event: text, plan, context, images; older events without attachments unchanged', () => {
    const [plain] = conversationFromEvents([prompt()]);
    assert.deepEqual(plain!.message, { role: 'user', content: 'Fix it' });
    const [full] = conversationFromEvents([prompt([{ kind: 'image', mediaType: 'image/png', data: PNG_1X1 }, { kind: 'file', path: 'a', missing: false, bytes: 1 }], { plan: [{ content: 'Step one', status: 'pending' }] })]);
    assert.equal(full!.message.role, 'user');
    if (full!.message.role !== 'user') return;
    assert.match(full!.message.content, /^Fix it\n\nThe plan to carry out[\s\S]*1\. \[pending\] Step one\n\n<context from the editor>\nFiles and folders the user mentioned/);
    assert.deepEqual(full!.message.images, [{ type: 'image', mediaType: 'image/png', data: PNG_1X1 }]);
  });
});
