import type { TeamCluster } from '../../protocol/rest/teams';
import { audit } from '../audit/audit-store';
import { teamClusterEgressPolicy } from '../config';
import { AppError } from '../errors';
import type { Handlers } from '../http/route-binder';
import { checkClusterAddress, checkTeamCluster, clusterContext, teamKube } from '../runtime/kubernetes/team-kubeconfig';
import type { Services } from '../services';
import { requireRole } from './membership';
import { changeUnlessHeld, deleteTeamCluster, saveTeamCluster, teamCluster, type ClusterSandbox } from './team-cluster-store';

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
      const policy = teamClusterEgressPolicy(services.config);
      const kube = await teamKube(body.kubeconfig, policy);
      await checkClusterAddress(kube.server, policy);
      await checkTeamCluster(kube, body.namespace);
      refuseHeld('changed', await changeUnlessHeld(sql, params.teamId, (tx) => saveTeamCluster(tx, user.id, {
        teamId: params.teamId, kubeconfig: secrets.seal(body.kubeconfig, clusterContext(params.teamId)),
        namespace: body.namespace, server: kube.server, clusterName: kube.clusterName,
      })));
      await audit(sql, { teamId: params.teamId, actorId: user.id, action: 'team.cluster.set', target: params.teamId, detail: { server: kube.server, namespace: body.namespace } });
      return describe(params.teamId);
    },
    'teams.cluster.delete': async ({ user, params }) => {
      await requireRole(sql, user.id, params.teamId, 'admin');
      refuseHeld('removed', await changeUnlessHeld(sql, params.teamId, (tx) => deleteTeamCluster(tx, params.teamId)));
      await audit(sql, { teamId: params.teamId, actorId: user.id, action: 'team.cluster.clear', target: params.teamId });
      return describe(params.teamId);
    },
  };
}

/**
 * A registration with sandboxes in it stays: their workspaces (and databases) are volumes in that
 * cluster, so moving them would lose them and a new registration would strand them (409, naming them).
 */
function refuseHeld(what: 'changed' | 'removed', held: ClusterSandbox[]): void {
  if (!held.length) return;
  const named = [...new Set(held.flatMap((s) => (s.projectName === null ? [] : [JSON.stringify(s.projectName)])))];
  const removing = held.filter((s) => s.projectId === null).length;
  const parts = [named.length ? `the projects ${named.join(', ')}` : '', removing ? `${removing} sandbox${removing > 1 ? 'es' : ''} of deleted projects still being removed` : ''].filter(Boolean);
  throw new AppError('conflict', `the team's cluster registration cannot be ${what} while sandboxes are in that cluster (${parts.join(' and ')}): their workspaces live there. Delete those projects first (stopping is not enough), wait for them to be removed, then try again`);
}
