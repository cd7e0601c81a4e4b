import type { TeamCluster } from '../../protocol/rest/teams';
import { audit } from '../audit/audit-store';
import { teamClusterEgressPolicy } from '../config';
import { AppError } from '../errors';
import type { Handlers } from '../http/route-binder';
import { checkClusterAddress, checkTeamCluster, clusterContext, teamKube } from '../runtime/kubernetes/team-kubeconfig';
import type { Services } from '../services';
import { requireRole } from './membership';
import { deleteTeamCluster, saveTeamCluster, teamCluster } from './team-cluster-store';

type ClusterRoutes = 'teams.cluster.get' | 'teams.cluster.put' | 'teams.cluster.delete';

/** A team's own Kubernetes cluster (admins only): validated on save, sealed at rest, never shown again. */
export function teamClusterHandlers(services: Pick<Services, 'sql' | 'secrets' | 'runtimeKind' | 'config'>): Pick<Handlers, ClusterRoutes> {
  const { sql, secrets } = services;
  const describe = async (teamId: string): Promise<TeamCluster> => {
    const row = await teamCluster(sql, teamId);
    return row
      ? { configured: true, server: row.server, cluster: row.clusterName, namespace: row.namespace, updatedAt: row.updatedAt.toISOString() }
      : { configured: false, server: null, cluster: null, namespace: null, updatedAt: null };
  };
  return {
    'teams.cluster.get': async ({ user, params }) => {
      await requireRole(sql, user.id, params.teamId, 'admin');
      return describe(params.teamId);
    },
    'teams.cluster.put': async ({ user, params, body }) => {
      await requireRole(sql, user.id, params.teamId, 'admin');
      if (services.runtimeKind !== 'kubernetes') {
        throw new AppError('conflict', `this server runs sandboxes on ${services.runtimeKind ?? 'no runtime'}, not Kubernetes: a team's own cluster is used only when the server runs with SLIPWAY_RUNTIME=kubernetes`);
      }
      const kube = await teamKube(body.kubeconfig);
      await checkClusterAddress(kube.server, teamClusterEgressPolicy(services.config));
      await checkTeamCluster(kube, body.namespace);
      await saveTeamCluster(sql, user.id, {
        teamId: params.teamId, kubeconfig: secrets.seal(body.kubeconfig, clusterContext(params.teamId)),
        namespace: body.namespace, server: kube.server, clusterName: kube.clusterName,
      });
      await audit(sql, { teamId: params.teamId, actorId: user.id, action: 'team.cluster.set', target: params.teamId, detail: { server: kube.server, namespace: body.namespace } });
      return describe(params.teamId);
    },
    'teams.cluster.delete': async ({ user, params }) => {
      await requireRole(sql, user.id, params.teamId, 'admin');
      await deleteTeamCluster(sql, params.teamId);
      await audit(sql, { teamId: params.teamId, actorId: user.id, action: 'team.cluster.clear', target: params.teamId });
      return describe(params.teamId);
    },
  };
}
