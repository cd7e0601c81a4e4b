import type { Readable } from 'node:stream';
import { ProjectParams } from '../../protocol/rest/projects';
import type { EarlyReads, Handlers } from '../http/route-binder';
import { sandboxForMember, startMemberSandboxRead, type MemberSandboxRead } from '../access/sandbox-access';
import type { Services } from '../services';

/** A workspace file's bytes, both ways, for team members (the editor's file system uses these). */
export function fileHandlers(services: Pick<Services, 'sql' | 'daemons'>): Pick<Handlers, 'files.read' | 'files.write'> {
  const sandbox = async (userId: string, projectId: string) => (await sandboxForMember(services, userId, projectId)).client;
  return {
    'files.read': async ({ user, params, query, ctx }) => {
      const client = (await sandboxForMember(services, user.id, params.projectId, ctx.state.early as MemberSandboxRead | undefined)).client;
      if (query.length === 0) return new Uint8Array(0);
      // Streamed from the daemon: a large file is never held whole in the server.
      return client.openFile(query.path, { offset: query.offset, length: query.length });
    },
    // Streamed to the daemon as it arrives (the body stream fails past the size limit, and the
    // daemon then keeps the old file: its writes are atomic).
    'files.write': async ({ user, params, query, body }) =>
      (await sandbox(user.id, params.projectId)).writeFile(query.path, body as Readable, { createParents: query.createParents }),
  };
}

/**
 * The editor's small reads are its hottest path: the membership-and-sandbox query starts beside the
 * session check (same query, same user as verified by the token's signature; it counts only once
 * the session holds, and a bad project id just skips it).
 */
export function fileEarlyReads(services: Pick<Services, 'sql'>): EarlyReads {
  return {
    'files.read': (userId, ctx) => {
      const params = ProjectParams.safeParse(ctx.params);
      if (params.success) ctx.state.early = startMemberSandboxRead(services, userId, params.data.projectId);
    },
  };
}
