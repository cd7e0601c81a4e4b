import type { DesiredState } from '../../protocol/rest/projects';
import { audit } from '../audit/audit-store';
import type { AuthUser } from '../auth/authenticate';
import type { Tx } from '../db/database';
import { AppError, badRequest, conflict, forbidden } from '../errors';
import { notifyProjectChanged } from '../events/project-events';
import type { Handlers } from '../http/route-binder';
import type { Services } from '../services';
import { atLeast, requireRole } from '../teams/membership';
import { projectForUser } from '../access/access';
import { insertProject, listProjects, projectById, toProject, updateDesiredState } from './project-store';
import { addDatabase } from './database-handlers';
import { insertProjectSource } from './project-source-store';
import { requestRestart } from '../reconcile/health-store';
import { makeSlug } from './slug';
import { insertGitSource } from '../git/git-source-store';
import { readZip } from './zip-archive';

type ProjectRoutes = 'templates.list' | 'projects.list' | 'projects.create' | 'projects.import' | 'projects.get' | 'projects.update' | 'projects.start' | 'projects.stop' | 'projects.restart' | 'projects.delete';

export function projectHandlers(services: Pick<Services, 'sql' | 'templates' | 'config' | 'secrets' | 'runtimeKind'>): Pick<Handlers, ProjectRoutes> {
  const { sql, templates, config } = services;

  /** Inserts the project (status CREATING), with its database if wanted, and tells listeners; the reconciler does the rest. */
  const insert = async (tx: Tx, user: AuthUser, input: { teamId: string; name: string; template: string; start: boolean; database?: boolean }) => {
    const desired: DesiredState = input.start ? 'RUNNING' : 'STOPPED';
    let row = await insertProject(tx, { teamId: input.teamId, name: input.name, slug: makeSlug(input.name), template: input.template, desired, createdBy: user.id });
    await audit(tx, { teamId: input.teamId, actorId: user.id, action: 'project.create', target: row.id, detail: { template: input.template } });
    if (input.database ?? templates.wantsDatabase(input.template)) {
      await addDatabase(tx, services, user.id, row);
      row = (await projectById(tx, row.id))!;
    }
    await notifyProjectChanged(tx, { projectId: row.id, teamId: input.teamId });
    return row;
  };

  /** Writes a new desired state; optimistic concurrency when the client sends a version. */
  const setDesired = async (user: AuthUser, projectId: string, desired: DesiredState, changes: { name?: string; version?: number } = {}) =>
    sql.begin(async (tx) => {
      const { row, role } = await projectForUser(tx, user.id, projectId, true);
      if (changes.version !== undefined && changes.version !== row.version) throw conflict(`the project changed since version ${changes.version} (now ${row.version}); reload and try again`);
      if (row.desiredState === 'DELETED') throw conflict('the project is being deleted');
      if (desired === 'DELETED' && !atLeast(role, 'admin') && row.createdBy !== user.id) throw forbidden('only team admins or the project\'s creator can delete it');
      const stateChanged = desired !== row.desiredState;
      const updated = await updateDesiredState(tx, row, desired, changes.name ?? row.name);
      if (stateChanged) await audit(tx, { teamId: row.teamId, actorId: user.id, action: `project.${desired.toLowerCase()}`, target: projectId });
      await notifyProjectChanged(tx, { projectId, teamId: row.teamId });
      return toProject(updated);
    });

  return {
    'templates.list': async () => ({ items: templates.list() }),
    'projects.list': async ({ user, query }) => {
      if (query.teamId) await requireRole(sql, user.id, query.teamId);
      return listProjects(sql, user.id, query);
    },
    'projects.create': async ({ user, body }) => {
      const { git, ...rest } = body;
      if (!git && !templates.has(body.template)) throw badRequest(`unknown template "${body.template}"; GET /api/templates lists them`);
      await requireRole(sql, user.id, body.teamId);
      if (!git) return toProject(await sql.begin((tx) => insert(tx, user, rest)));
      // Cloned into the sandbox (with this user's credentials) when it first starts.
      return toProject(await sql.begin(async (tx) => {
        const row = await insert(tx, user, { ...rest, template: 'git' });
        await insertGitSource(tx, row.id, git);
        return row;
      }));
    },
    'projects.import': async ({ user, query, body }) => {
      await requireRole(sql, user.id, query.teamId);
      if (body.length === 0) throw new AppError('bad_request', 'the body is empty; send a ZIP archive');
      const archive = Buffer.from(body.buffer, body.byteOffset, body.byteLength);
      const manifest = await readZip(archive, { entries: config.limits.zipEntries, unzippedBytes: config.limits.unzippedBytes });
      return toProject(await sql.begin(async (tx) => {
        const row = await insert(tx, user, { teamId: query.teamId, name: query.name, template: 'import', start: query.start, database: query.database });
        await insertProjectSource(tx, row.id, { archive, entries: manifest.entries, bytes: manifest.bytes });
        return row;
      }));
    },
    'projects.get': async ({ user, params }) => toProject((await projectForUser(sql, user.id, params.projectId)).row),
    'projects.update': async ({ user, params, body }) => {
      const { row } = await projectForUser(sql, user.id, params.projectId);
      return setDesired(user, params.projectId, body.desiredState ?? (row.desiredState as 'RUNNING' | 'STOPPED'), { name: body.name, version: body.version });
    },
    'projects.start': async ({ user, params }) => setDesired(user, params.projectId, 'RUNNING'),
    'projects.stop': async ({ user, params }) => setDesired(user, params.projectId, 'STOPPED'),
    'projects.restart': async ({ user, params }) => sql.begin(async (tx) => {
      // Any member may: it is what they do when their sandbox is stuck (degraded, not answering).
      const { row } = await projectForUser(tx, user.id, params.projectId, true);
      if (!(await requestRestart(tx, row.id))) throw conflict(`the project is not meant to run (it is ${row.desiredState.toLowerCase()}); start it instead`);
      await audit(tx, { teamId: row.teamId, actorId: user.id, action: 'project.restart', target: row.id });
      await notifyProjectChanged(tx, { projectId: row.id, teamId: row.teamId });
      return toProject((await projectForUser(tx, user.id, row.id)).row);
    }),
    'projects.delete': async ({ user, params }) => setDesired(user, params.projectId, 'DELETED'),
  };
}
