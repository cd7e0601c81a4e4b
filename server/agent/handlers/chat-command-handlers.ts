import type { chatCommandWsMethods } from '../../../protocol/chat-commands';
import { chatForUser, projectForUser } from '../../access/access';
import { AppError } from '../../errors';
import type { Services } from '../../services';
import type { WsHandlers } from '../../ws/ws-connection';
import type { AgentService } from '../agent-service';
import { setChatModel } from '../chats/chat-store';
import { modelOptions } from '../settings/model-options';
import { namedModel } from '../settings/team-models-store';
import { takeCheckpoint } from './manual-checkpoint';

/** Over the WebSocket: choosing a chat's model (the choices, and the choice), `/compact` and `/checkpoint`. */
export function chatCommandWsHandlers(services: Pick<Services, 'sql' | 'daemons'>, agent: AgentService): Pick<WsHandlers, keyof typeof chatCommandWsMethods> {
  const { sql } = services;
  return {
    'models.list': async ({ projectId }, { user }) => {
      const { row } = await projectForUser(sql, user.id, projectId);
      return { models: await modelOptions(sql, row.teamId, agent.deps.serverModel, agent.deps.options.contextTokens) };
    },
    'chat.setModel': async ({ chatId, modelId }, { user }) => {
      const { chat } = await chatForUser(sql, user.id, chatId);
      if (modelId && !(await namedModel(sql, chat.teamId, modelId))) {
        throw new AppError('bad_request', 'there is no such model among the team\'s models; models.list shows them', { reason: 'model_removed' });
      }
      await setChatModel(sql, chatId, modelId);
      return { chatId, modelId };
    },
    'chat.compact': async ({ chatId }, { user }) => ({ turnId: await agent.compact(user, chatId) }),
    'chat.checkpoint': async ({ chatId, message }, { user }) => {
      const { chat } = await chatForUser(sql, user.id, chatId);
      return takeCheckpoint(services, agent, user, chat, message);
    },
  };
}
