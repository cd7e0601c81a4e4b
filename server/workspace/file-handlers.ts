import type { Handlers } from '../http/route-binder';
import { projectForUser } from '../projects/project-store';
import { runningSandbox } from '../runtime/sandbox-access';
import type { Services } from '../services';

/** A workspace file's bytes, both ways, for team members (the editor's file system uses these). */
export function fileHandlers(services: Services): Pick<Handlers, 'files.read' | 'files.write'> {
  const sandbox = async (userId: string, projectId: string) => {
    await projectForUser(services.sql, userId, projectId);
    return (await runningSandbox(services, projectId)).client;
  };
  return {
    'files.read': async ({ user, params, query }) =>
      (await sandbox(user.id, params.projectId)).readFile(query.path, { offset: query.offset, length: query.length }),
    'files.write': async ({ user, params, query, body }) =>
      (await sandbox(user.id, params.projectId)).writeFile(query.path, body, { createParents: query.createParents }),
  };
}
