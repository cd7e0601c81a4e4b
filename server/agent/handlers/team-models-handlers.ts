import { modelEgressPolicy } from '../../config';
import { notFound } from '../../errors';
import type { Handlers } from '../../http/route-binder';
import type { Services } from '../../services';
import { requireRole } from '../../teams/membership';
import { audit } from '../../audit/audit-store';
import type { AgentService } from '../agent-service';
import { addNamedModel, modelOptions } from '../settings/model-options';
import { deleteNamedModel } from '../settings/team-models-store';
import { checkModelEndpoint } from './agent-rest-handlers';

type Routes = 'agent.models.list' | 'agent.models.add' | 'agent.models.delete';

/** A team's models for its chats to choose: any member lists them, admins add and remove. */
export function teamModelsHandlers(services: Pick<Services, 'sql' | 'secrets' | 'config'>, agent: AgentService): Pick<Handlers, Routes> {
  const { sql, secrets } = services;
  const options = (teamId: string) => modelOptions(sql, teamId, agent.deps.serverModel, agent.deps.options.contextTokens);
  return {
    'agent.models.list': async ({ user, params }) => {
      await requireRole(sql, user.id, params.teamId);
      return { items: await options(params.teamId) };
    },
    'agent.models.add': async ({ user, params, body }) => {
      await requireRole(sql, user.id, params.teamId, 'admin');
      if (body.baseUrl) await checkModelEndpoint(body.baseUrl, modelEgressPolicy(services.config));
      const id = await addNamedModel(sql, secrets, params.teamId, user.id, body);
      await audit(sql, { teamId: params.teamId, actorId: user.id, action: 'agent.models.add', target: id, detail: { name: body.name, kind: body.kind, model: body.model } });
      return (await options(params.teamId)).find((o) => o.id === id)!;
    },
    'agent.models.delete': async ({ user, params }) => {
      await requireRole(sql, user.id, params.teamId, 'admin');
      if (!(await deleteNamedModel(sql, params.teamId, params.modelId))) throw notFound('model');
      await audit(sql, { teamId: params.teamId, actorId: user.id, action: 'agent.models.delete', target: params.modelId });
      return { ok: true as const };
    },
  };
}
