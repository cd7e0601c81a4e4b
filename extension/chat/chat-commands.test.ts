import assert from 'node:assert/strict';
import type { Chat } from '../../protocol/chat';
import type { SocketClient } from '../../protocol/client/socket-client';
import { FakeSocket } from '../connection/fake-socket.testing';
import { ChatCommands } from './chat-commands';

const PROJECT = '00000000-0000-4000-8000-0000000000aa';
const MODEL = '00000000-0000-4000-8000-0000000000bb';
const chat = (): Chat => ({ id: '00000000-0000-4000-8000-0000000000cc', projectId: PROJECT, title: 't', state: 'idle', lastSeq: 0, modelId: null, createdAt: '', updatedAt: '' });

describe('chat commands (extension side)', () => {
  it('keeps a model chosen before the chat exists, applies it when the first message creates the chat, and tells the view', async () => {
    const socket = new FakeSocket();
    socket.handlers['models.list'] = () => ({ models: [] });
    const posted: unknown[] = [];
    const commands = new ChatCommands((type, payload) => void posted.push([type, payload]), async () => socket as unknown as SocketClient);
    await commands.setModel(PROJECT, undefined, MODEL);
    assert.deepEqual(socket.methods('chat.setModel'), [], 'no chat yet: nothing to set on the server');
    assert.deepEqual(posted.at(-1), ['chat.models', { models: [], selected: MODEL }]);
    const created = chat();
    await commands.created(created);
    assert.deepEqual(socket.methods('chat.setModel'), [{ chatId: created.id, modelId: MODEL }]);
    assert.equal(created.modelId, MODEL);
    await commands.created(chat());
    assert.equal(socket.methods('chat.setModel').length, 1, 'only the next chat takes it');

    await commands.setModel(PROJECT, created, null);
    assert.deepEqual(socket.methods('chat.setModel').at(-1), { chatId: created.id, modelId: null });
    assert.deepEqual(posted.at(-1), ['chat.models', { models: [], selected: null }]);
    await commands.checkpoint(created.id, undefined);
    await commands.checkpoint(created.id, 'named');
    assert.deepEqual(socket.methods('chat.checkpoint'), [{ chatId: created.id }, { chatId: created.id, message: 'named' }]);
  });
});
