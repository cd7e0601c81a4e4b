import type { HandlersFor } from '../rpc/handler';
import type { Workspace } from '../workspace/workspace';

/** `env.set`: the server pushes the project's variables (secrets decrypted) after every start. */
export function envHandlers(workspace: Workspace): HandlersFor<'env'> {
  return {
    'env.set': (params) => {
      workspace.projectEnv = Object.freeze({ ...params.vars });
      return { ok: true as const };
    },
  };
}
