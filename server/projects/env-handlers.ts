import type { EnvVar } from '../../protocol/rest/projects';
import { audit } from '../audit/audit-store';
import { notFound } from '../errors';
import { notifyProjectChanged } from '../events/project-events';
import type { Handlers } from '../http/route-binder';
import type { Services } from '../services';
import { bumpEnvVersion as bumpVersion, deleteEnv, envForSandbox, listEnv, upsertEnv, type EnvRow } from './env-store';
import { projectForUser } from '../access/access';
import { databaseEnv } from '../runtime/database-env';
import { openDatabasePassword } from './database-secret';
import { databaseOfProject } from './database-store';

const toEnvVar = (r: EnvRow): EnvVar => ({ key: r.key, value: r.secret ? null : r.value, secret: r.secret, updatedAt: r.updatedAt.toISOString() });

/** Associated data binding a sealed value to its row. */
export const envContext = (projectId: string, key: string) => `env:${projectId}:${key}`;

export function envHandlers(services: Pick<Services, 'sql' | 'secrets'>): Pick<Handlers, 'env.list' | 'env.put' | 'env.delete'> {
  const { sql, secrets } = services;
  return {
    'env.list': async ({ user, params }) => {
      await projectForUser(sql, user.id, params.projectId);
      return { items: (await listEnv(sql, params.projectId)).map(toEnvVar) };
    },
    'env.put': async ({ user, params, body }) => {
      const { row: project } = await projectForUser(sql, user.id, params.projectId);
      const value = body.secret ? null : body.value;
      const ciphertext = body.secret ? secrets.seal(body.value, envContext(params.projectId, params.key)) : null;
      const row = await upsertEnv(sql, params.projectId, params.key, { value, ciphertext, secret: body.secret });
      await bumpEnvVersion(services, params.projectId);
      await audit(sql, { teamId: project.teamId, actorId: user.id, action: 'env.set', target: params.projectId, detail: { key: params.key, secret: body.secret } });
      return toEnvVar(row);
    },
    'env.delete': async ({ user, params }) => {
      const { row: project } = await projectForUser(sql, user.id, params.projectId);
      if (!(await deleteEnv(sql, params.projectId, params.key))) throw notFound('variable');
      await bumpEnvVersion(services, params.projectId);
      await audit(sql, { teamId: project.teamId, actorId: user.id, action: 'env.delete', target: params.projectId, detail: { key: params.key } });
      return { ok: true as const };
    },
  };
}

/** Marks the sandbox's variables stale and wakes the reconciler, which pushes them. */
async function bumpEnvVersion(services: Pick<Services, 'sql'>, projectId: string): Promise<void> {
  const teamId = await bumpVersion(services.sql, projectId);
  if (teamId) await notifyProjectChanged(services.sql, { projectId, teamId });
}

/**
 * Every variable of a project with secrets decrypted: for the sandbox, never for a client. Its
 * database's DATABASE_URL and PG* come first (while it has one); a variable the project sets itself wins.
 */
export async function projectEnvironment(services: Pick<Services, 'sql' | 'secrets'>, projectId: string): Promise<Record<string, string>> {
  const [rows, database] = await Promise.all([envForSandbox(services.sql, projectId), databaseOfProject(services.sql, projectId)]);
  const env: Record<string, string> = database?.desired === 'PRESENT' ? databaseEnv(openDatabasePassword(services.secrets, projectId, database.password)) : {};
  for (const r of rows) env[r.key] = r.ciphertext ? services.secrets.open(r.ciphertext, envContext(projectId, r.key)) : (r.value ?? '');
  return env;
}
