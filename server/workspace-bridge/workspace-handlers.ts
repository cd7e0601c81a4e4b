import { sandboxForMember } from '../access/sandbox-access';
import type { Services } from '../services';
import type { WsConnection, WsHandlers } from '../ws/ws-connection';
import { ProjectStreams } from './project-streams';

type WorkspaceMethods = Extract<keyof WsHandlers, `workspace.${string}` | `terminal.${string}`>;

/**
 * The workspace and terminals of a project, for its team's members: each call checks membership
 * (404 for outsiders) and that the sandbox runs (409 otherwise), then forwards to its daemon.
 */
export function workspaceHandlers(services: Pick<Services, 'sql' | 'daemons'>): Pick<WsHandlers, WorkspaceMethods> {
  const streams = new WeakMap<WsConnection, ProjectStreams>();
  const sandbox = (connection: WsConnection, projectId: string) => sandboxForMember(services, connection.user.id, projectId);
  const streamOf = async (connection: WsConnection, projectId: string) => {
    const { client } = await sandbox(connection, projectId);
    let mine = streams.get(connection);
    if (!mine) streams.set(connection, (mine = new ProjectStreams(connection)));
    return mine.get(projectId, client);
  };
  const ok = { ok: true as const };

  return {
    'workspace.stat': async ({ projectId, ...p }, c) => (await sandbox(c, projectId)).client.call('fs.stat', p),
    'workspace.list': async ({ projectId, ...p }, c) => (await sandbox(c, projectId)).client.call('fs.list', p),
    'workspace.mkdir': async ({ projectId, ...p }, c) => (await sandbox(c, projectId)).client.call('fs.mkdir', p),
    'workspace.rename': async ({ projectId, ...p }, c) => (await sandbox(c, projectId)).client.call('fs.rename', p),
    'workspace.copy': async ({ projectId, ...p }, c) => (await sandbox(c, projectId)).client.call('fs.copy', p),
    'workspace.delete': async ({ projectId, ...p }, c) => (await sandbox(c, projectId)).client.call('fs.delete', p),
    'workspace.watch': async ({ projectId, ...p }, c) => (await streamOf(c, projectId)).call('watch.subscribe', p),
    'workspace.unwatch': async ({ projectId }, c) => {
      await (await streamOf(c, projectId)).call('watch.unsubscribe', {});
      return ok;
    },
    'terminal.open': async ({ projectId, ...p }, c) => (await sandbox(c, projectId)).client.call('pty.open', p),
    'terminal.list': async ({ projectId }, c) => (await sandbox(c, projectId)).client.call('pty.list', {}),
    'terminal.attach': async ({ projectId, ...p }, c) => (await streamOf(c, projectId)).call('pty.subscribe', p),
    'terminal.detach': async ({ projectId, ...p }, c) => {
      await (await streamOf(c, projectId)).call('pty.unsubscribe', p);
      return ok;
    },
    'terminal.input': async ({ projectId, ...p }, c) => {
      await (await sandbox(c, projectId)).client.call('pty.input', p);
      return ok;
    },
    'terminal.resize': async ({ projectId, ...p }, c) => {
      await (await sandbox(c, projectId)).client.call('pty.resize', p);
      return ok;
    },
    'terminal.close': async ({ projectId, ...p }, c) => {
      await (await sandbox(c, projectId)).client.call('pty.close', p);
      return ok;
    },
  };
}
