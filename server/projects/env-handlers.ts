import type { EnvVar } from '../../protocol/rest/projects';
import { audit } from '../audit/audit-log';
import { notFound } from '../errors';
import { notifyProjectChanged } from '../events/project-events';
import type { Handlers } from '../http/route-binder';
import type { Services } from '../services';
import { projectForUser } from './project-store';

interface EnvRow { key: string; value: string | null; secret: boolean; updatedAt: Date }
const toEnvVar = (r: EnvRow): EnvVar => ({ key: r.key, value: r.secret ? null : r.value, secret: r.secret, updatedAt: r.updatedAt.toISOString() });

/** Associated data binding a sealed value to its row. */
export const envContext = (projectId: string, key: string) => `env:${projectId}:${key}`;

export function envHandlers(services: Services): Pick<Handlers, 'env.list' | 'env.put' | 'env.delete'> {
  const { sql, secrets } = services;
  return {
    'env.list': async ({ user, params }) => {
      await projectForUser(sql, user.id, params.projectId);
      const rows = await sql<EnvRow[]>`SELECT key, value, secret, updated_at FROM project_env WHERE project_id = ${params.projectId} ORDER BY key`;
      return { items: rows.map(toEnvVar) };
    },
    'env.put': async ({ user, params, body }) => {
      const { row: project } = await projectForUser(sql, user.id, params.projectId);
      const value = body.secret ? null : body.value;
      const ciphertext = body.secret ? secrets.seal(body.value, envContext(params.projectId, params.key)) : null;
      const [row] = await sql<EnvRow[]>`
        INSERT INTO project_env (project_id, key, value, ciphertext, secret) VALUES (${params.projectId}, ${params.key}, ${value}, ${ciphertext}, ${body.secret})
        ON CONFLICT (project_id, key) DO UPDATE SET value = excluded.value, ciphertext = excluded.ciphertext, secret = excluded.secret, updated_at = now()
        RETURNING key, value, secret, updated_at`;
      await bumpEnvVersion(services, params.projectId);
      await audit(sql, { teamId: project.teamId, actorId: user.id, action: 'env.set', target: params.projectId, detail: { key: params.key, secret: body.secret } });
      return toEnvVar(row!);
    },
    'env.delete': async ({ user, params }) => {
      const { row: project } = await projectForUser(sql, user.id, params.projectId);
      const [row] = await sql`DELETE FROM project_env WHERE project_id = ${params.projectId} AND key = ${params.key} RETURNING key`;
      if (!row) throw notFound('variable');
      await bumpEnvVersion(services, params.projectId);
      await audit(sql, { teamId: project.teamId, actorId: user.id, action: 'env.delete', target: params.projectId, detail: { key: params.key } });
      return { ok: true as const };
    },
  };
}

/** Marks the sandbox's variables stale and wakes the reconciler, which pushes them. */
async function bumpEnvVersion(services: Pick<Services, 'sql'>, projectId: string): Promise<void> {
  const [row] = await services.sql<{ teamId: string }[]>`
    UPDATE projects SET env_version = env_version + 1, next_attempt_at = now() WHERE id = ${projectId} RETURNING team_id`;
  if (row) await notifyProjectChanged(services.sql, { projectId, teamId: row.teamId });
}

/** Every variable of a project with secrets decrypted: for the sandbox, never for a client. */
export async function projectEnvironment(services: Pick<Services, 'sql' | 'secrets'>, projectId: string): Promise<Record<string, string>> {
  const rows = await services.sql<{ key: string; value: string | null; ciphertext: Buffer | null }[]>`
    SELECT key, value, ciphertext FROM project_env WHERE project_id = ${projectId}`;
  const env: Record<string, string> = {};
  for (const r of rows) env[r.key] = r.ciphertext ? services.secrets.open(r.ciphertext, envContext(projectId, r.key)) : (r.value ?? '');
  return env;
}
