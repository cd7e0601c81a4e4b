import type { chatWsMethods } from '../../../protocol/chat';
import { AppError, notFound } from '../../errors';
import { chatForUser, projectForUser } from '../../access/access';
import { runningSandbox } from '../../access/sandbox-access';
import type { Services } from '../../services';
import type { WsHandlers } from '../../ws/ws-connection';
import type { AgentService } from '../agent-service';
import { toChat } from '../chats/chat-store';
import { checkpointById, listCheckpoints, toCheckpoint } from '../checkpoints/checkpoint-store';
import { diffWorkspace } from '../checkpoints/shadow-repo';
import { ChatSubscriptions } from './chat-subscriptions';
import { restoreCheckpoint } from './restore-checkpoint';

type ChatMethods = keyof typeof chatWsMethods;

/** The chat methods of the WebSocket. Each checks membership through the chat's project. */
export function chatWsHandlers(services: Pick<Services, 'sql' | 'daemons'>, agent: AgentService, subscriptions: ChatSubscriptions): Pick<WsHandlers, ChatMethods> {
  const { sql } = services;
  // Another team's checkpoint and a made-up id get the same answer: neither says what exists.
  const checkpointFor = async (userId: string, checkpointId: string) => {
    const checkpoint = await checkpointById(sql, checkpointId);
    const visible = checkpoint && (await projectForUser(sql, userId, checkpoint.projectId).then(() => true, (e: unknown) => {
      if (e instanceof AppError && e.code === 'not_found') return false;
      throw e;
    }));
    if (!checkpoint || !visible) throw notFound('checkpoint');
    return checkpoint;
  };
  const ok = { ok: true as const };
  return {
    'chats.create': async ({ projectId, title }, { user }) => ({ chat: toChat(await agent.createChat(user, projectId, title)) }),
    'chats.list': async ({ projectId }, { user }) => ({ chats: (await agent.listChats(user, projectId)).map(toChat) }),
    'chat.send': async ({ chatId, ...message }, { user }) => ({ turnId: await agent.send(user, chatId, message) }),
    'chat.resume': async ({ chatId }, { user }) => ({ turnId: await agent.resume(user, chatId) }),
    'chat.cancel': async ({ chatId }, { user }) => {
      await agent.cancel(user, chatId);
      return ok;
    },
    'chat.approve': async ({ chatId, approvalId, approved, remember }, { user }) => {
      await agent.approve(user, chatId, approvalId, approved, remember);
      return ok;
    },
    'chat.subscribe': async ({ chatId, fromSeq }, connection) => {
      const { chat } = await chatForUser(sql, connection.user.id, chatId);
      subscriptions.subscribe(connection, chatId, fromSeq);
      return { chat: toChat(chat), lastSeq: Number(chat.lastSeq) };
    },
    'chat.unsubscribe': async ({ chatId }, connection) => {
      subscriptions.unsubscribe(connection, chatId);
      // Like every method: someone who may not see the chat hears that it does not exist.
      await chatForUser(sql, connection.user.id, chatId);
      return ok;
    },
    'checkpoints.list': async ({ projectId }, { user }) => {
      await projectForUser(sql, user.id, projectId);
      return { checkpoints: (await listCheckpoints(sql, projectId)).map(toCheckpoint) };
    },
    'checkpoints.diff': async ({ checkpointId }, { user }) => {
      const checkpoint = await checkpointFor(user.id, checkpointId);
      const { client } = await runningSandbox(services, checkpoint.projectId);
      return diffWorkspace(client, checkpoint.commit);
    },
    'checkpoints.restore': async ({ checkpointId, conversation, paths }, { user }) => {
      const checkpoint = await checkpointFor(user.id, checkpointId);
      return { ok: true as const, backupCheckpointId: await restoreCheckpoint(services, agent, user, checkpoint, conversation, paths) };
    },
  };
}

export { ChatSubscriptions };
