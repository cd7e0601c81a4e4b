import { modelEgressPolicy } from '../../config';
import { AppError } from '../../errors';
import type { Handlers } from '../../http/route-binder';
import { isEgressRefusal, type EgressPolicy } from '../../net/egress-policy';
import { checkEgressUrl } from '../../net/guarded-fetch';
import { chatForUser, projectForUser } from '../../access/access';
import type { Services } from '../../services';
import { requireRole } from '../../teams/membership';
import { audit } from '../../audit/audit-store';
import type { AgentService } from '../agent-service';
import { toChat } from '../chats/chat-store';
import { readEvents } from '../events/event-store';
import { clearModel, describeModel, saveModel } from '../settings/model-settings';
import { projectAgentSettings, updateProjectAgentSettings } from '../settings/project-settings-store';
import { usageReport } from '../usage/usage-store';

type AgentRoutes = 'agent.model.get' | 'agent.model.put' | 'agent.model.delete' | 'agent.usage' | 'agent.settings.get' | 'agent.settings.put'
  | 'chats.list' | 'chats.create' | 'chats.send' | 'chats.events';

/** A team's endpoint that points at the server's own network: a clear 400 at save (and refused again at every connection). */
export async function checkModelEndpoint(baseUrl: string, policy: EgressPolicy): Promise<void> {
  await checkEgressUrl(baseUrl, policy).catch((error: unknown) => {
    if (!isEgressRefusal(error)) throw error;
    throw new AppError('bad_request', `baseUrl: ${(error as Error).message}; the server administrator can allow it with agent.modelHostAllowList (SLIPWAY_MODEL_HOST_ALLOWLIST)`);
  });
}

export function agentRestHandlers(services: Pick<Services, 'sql' | 'secrets' | 'config'>, agent: AgentService): Pick<Handlers, AgentRoutes> {
  const { sql, secrets } = services;
  const serverModel = () => agent.deps.serverModel;
  return {
    'agent.model.get': async ({ user, params }) => {
      await requireRole(sql, user.id, params.teamId);
      return describeModel(sql, params.teamId, serverModel(), user);
    },
    'agent.model.put': async ({ user, params, body }) => {
      await requireRole(sql, user.id, params.teamId, 'admin');
      if (body.baseUrl) await checkModelEndpoint(body.baseUrl, modelEgressPolicy(services.config));
      await saveModel(sql, secrets, params.teamId, user.id, body);
      await audit(sql, { teamId: params.teamId, actorId: user.id, action: 'agent.model.set', target: params.teamId, detail: { kind: body.kind, model: body.model, keyChanged: body.apiKey !== undefined } });
      return describeModel(sql, params.teamId, serverModel(), user);
    },
    'agent.model.delete': async ({ user, params }) => {
      await requireRole(sql, user.id, params.teamId, 'admin');
      await clearModel(sql, params.teamId);
      await audit(sql, { teamId: params.teamId, actorId: user.id, action: 'agent.model.clear', target: params.teamId });
      return describeModel(sql, params.teamId, serverModel(), user);
    },
    'agent.usage': async ({ user, params, query }) => {
      await requireRole(sql, user.id, params.teamId);
      return usageReport(sql, params.teamId, { since: new Date(Date.now() - query.days * 86_400_000), ...(query.projectId && { projectId: query.projectId }) });
    },
    'agent.settings.get': async ({ user, params }) => {
      await projectForUser(sql, user.id, params.projectId);
      return projectAgentSettings(sql, params.projectId);
    },
    'agent.settings.put': async ({ user, params, body }) => {
      const { row } = await projectForUser(sql, user.id, params.projectId);
      const settings = await updateProjectAgentSettings(sql, params.projectId, body);
      await audit(sql, { teamId: row.teamId, actorId: user.id, action: 'agent.settings.set', target: params.projectId, detail: { changed: Object.keys(body).join(',') } });
      return settings;
    },
    'chats.list': async ({ user, params }) => ({ items: (await agent.listChats(user, params.projectId)).map(toChat) }),
    'chats.create': async ({ user, params, body }) => toChat(await agent.createChat(user, params.projectId, body.title)),
    'chats.send': async ({ user, params, body }) => ({ turnId: await agent.send(user, params.chatId, body) }),
    'chats.events': async ({ user, params, query }) => {
      const { chat } = await chatForUser(sql, user.id, params.chatId);
      return { items: await readEvents(sql, params.chatId, query.after, query.limit), chat: toChat(chat) };
    },
  };
}
