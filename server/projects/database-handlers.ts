import type { ProjectDatabase } from '../../protocol/rest/database';
import { audit } from '../audit/audit-store';
import type { Tx } from '../db/database';
import { AppError, conflict, forbidden } from '../errors';
import { notifyProjectChanged } from '../events/project-events';
import type { Handlers } from '../http/route-binder';
import type { Services } from '../services';
import { atLeast } from '../teams/membership';
import { projectForUser } from '../access/access';
import { runningSandbox } from '../access/sandbox-access';
import { bumpEnvVersion } from './env-store';
import { dumpDatabase, restoreDatabase } from './database-dump';
import { DATABASE_HOST, DATABASE_NAME, DATABASE_PORT, DATABASE_USER, databaseUrlFor } from '../runtime/database-env';
import { probeDatabase, type DatabaseProbe } from './database-probe';
import { newDatabasePassword, openDatabasePassword } from './database-secret';
import { databaseOfProject, releaseDatabase, requestDatabase, type DatabaseRow } from './database-store';
import type { ProjectRow } from './project-store';

type DatabaseRoutes = 'database.get' | 'database.put' | 'database.delete' | 'database.connection' | 'database.dump' | 'database.restore' | 'projects.deletion';
type Deps = Pick<Services, 'sql' | 'secrets' | 'daemons' | 'runtimeKind'>;

/** Where the sandbox reaches its database (the same for every project: it is on the sandbox's own loopback). */
const ENDPOINT = { host: DATABASE_HOST, port: DATABASE_PORT, user: DATABASE_USER, database: DATABASE_NAME };

const noDatabase = () => new AppError('not_found', 'the project has no database; PUT /api/projects/:projectId/database adds one');

const view = (row: DatabaseRow, probe?: DatabaseProbe): ProjectDatabase => ({
  engine: 'postgresql', status: row.status, statusMessage: row.statusMessage,
  version: probe?.version ?? row.version, reachable: probe ? probe.reachable : null,
  ...ENDPOINT, createdAt: row.createdAt.toISOString(),
});

/**
 * Gives a project a database (or keeps the one it is losing), in the caller's transaction: the
 * password is made and sealed here, the sandbox's variables marked stale, the reconciler woken.
 */
export async function addDatabase(tx: Tx, services: Pick<Deps, 'secrets' | 'runtimeKind'>, actorId: string, project: ProjectRow): Promise<void> {
  if (services.runtimeKind === 'host') throw conflict('this server runs sandboxes as host processes, which cannot have a database; use Docker or Kubernetes');
  const status = project.desiredState === 'RUNNING' ? 'CREATING' : 'STOPPED';
  if (!(await requestDatabase(tx, project.id, newDatabasePassword(services.secrets, project.id), status))) return;
  await bumpEnvVersion(tx, project.id);
  await audit(tx, { teamId: project.teamId, actorId, action: 'database.add', target: project.id });
  await notifyProjectChanged(tx, { projectId: project.id, teamId: project.teamId });
}

/** The project's database routes: any member may use it; removing it (its data) is for admins and the project's creator. */
export function databaseHandlers(services: Deps): Pick<Handlers, DatabaseRoutes> {
  const { sql, secrets } = services;

  /** The database a member may use now (not one being removed). */
  const present = async (userId: string, projectId: string) => {
    const { row: project } = await projectForUser(sql, userId, projectId);
    const row = await databaseOfProject(sql, projectId);
    if (!row || row.desired !== 'PRESENT') throw noDatabase();
    return { project, row };
  };

  return {
    'database.get': async ({ user, params }) => {
      await projectForUser(sql, user.id, params.projectId);
      const row = await databaseOfProject(sql, params.projectId);
      if (!row) throw noDatabase();
      if (row.desired !== 'PRESENT') return view(row);
      // Asked from the sandbox, as the app would; a sandbox that is not running cannot say.
      const sandbox = await runningSandbox(services, params.projectId).catch(() => undefined);
      return view(row, sandbox && await probeDatabase(sandbox.client));
    },
    'database.put': async ({ user, params }) => sql.begin(async (tx) => {
      const { row: project } = await projectForUser(tx, user.id, params.projectId, true);
      if (project.desiredState === 'DELETED') throw conflict('the project is being deleted');
      await addDatabase(tx, services, user.id, project);
      return view((await databaseOfProject(tx, project.id))!);
    }),
    'database.delete': async ({ user, params }) => sql.begin(async (tx) => {
      const { row: project, role } = await projectForUser(tx, user.id, params.projectId, true);
      if (!atLeast(role, 'admin') && project.createdBy !== user.id) throw forbidden('only team admins or the project\'s creator can remove its database');
      const row = await databaseOfProject(tx, project.id);
      if (!row) throw noDatabase();
      if (await releaseDatabase(tx, project.id)) {
        await bumpEnvVersion(tx, project.id);
        await audit(tx, { teamId: project.teamId, actorId: user.id, action: 'database.remove', target: project.id });
        await notifyProjectChanged(tx, { projectId: project.id, teamId: project.teamId });
      }
      return view((await databaseOfProject(tx, project.id))!);
    }),
    'database.connection': async ({ user, params }) => {
      const { project, row } = await present(user.id, params.projectId);
      const password = openDatabasePassword(secrets, project.id, row.password);
      await audit(sql, { teamId: project.teamId, actorId: user.id, action: 'database.connection', target: project.id });
      return { url: databaseUrlFor(password), ...ENDPOINT, password };
    },
    'database.dump': async ({ user, params, body }) => {
      const { project } = await present(user.id, params.projectId);
      const { client } = await runningSandbox(services, project.id);
      const result = await dumpDatabase(client, body.path);
      await audit(sql, { teamId: project.teamId, actorId: user.id, action: 'database.dump', target: project.id, detail: { path: body.path } });
      return result;
    },
    'database.restore': async ({ user, params, body }) => {
      const { project } = await present(user.id, params.projectId);
      const { client } = await runningSandbox(services, project.id);
      const result = await restoreDatabase(client, body.path, body.clean);
      await audit(sql, { teamId: project.teamId, actorId: user.id, action: 'database.restore', target: project.id, detail: { path: body.path } });
      return result;
    },
    'projects.deletion': async ({ user, params }) => {
      const { row: project } = await projectForUser(sql, user.id, params.projectId);
      const database = (await databaseOfProject(sql, project.id))?.desired === 'PRESENT';
      const removes = ['the sandbox and its processes', 'the workspace files', 'the environment variables and secrets', ...(database ? ['the PostgreSQL database and ALL ITS DATA'] : [])];
      const warning = `Deleting "${project.name}" removes ${removes.join(', ')}. This cannot be undone${database ? ': dump the database first (POST .../database/dump) to keep its data' : ''}.`;
      return { removes, database, warning };
    },
  };
}
