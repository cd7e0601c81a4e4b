import type { SocketClient } from '../../protocol/client/socket-client';
import type { Entry } from '../../protocol/daemon/fs';
import { MAX_LIST_LIMIT } from '../../protocol/daemon/fs';
import { whenOpen } from '../connection/when-open';
import type { RestClient } from '../../protocol/client/rest-client';

export type WorkspaceSocket = Pick<SocketClient, 'request' | 'state' | 'onState'>;

/**
 * A project's workspace as the `slipway:` file system (and the bench) use it: metadata over the
 * WebSocket, bytes over HTTP (the one REST client). Paths are workspace paths (`src/a.ts`, `.` for the root). Calls made
 * while the socket reconnects wait for it briefly instead of failing.
 */
export class WorkspaceClient {
  constructor(private readonly socket: WorkspaceSocket, private readonly rest: RestClient, private readonly waitMs = 10_000) {}

  async stat(projectId: string, path: string): Promise<Entry> {
    await whenOpen(this.socket, this.waitMs);
    return this.socket.request('workspace.stat', { projectId, path });
  }

  async list(projectId: string, path: string, options: { recursive?: boolean; limit?: number } = {}): Promise<{ entries: Entry[]; truncated: boolean }> {
    await whenOpen(this.socket, this.waitMs);
    const recursive = options.recursive ?? false;
    return this.socket.request('workspace.list', { projectId, path, recursive, maxDepth: 64, gitignore: false, limit: options.limit ?? MAX_LIST_LIMIT });
  }

  async mkdir(projectId: string, path: string): Promise<Entry> {
    await whenOpen(this.socket, this.waitMs);
    return this.socket.request('workspace.mkdir', { projectId, path, recursive: false });
  }

  async delete(projectId: string, path: string, recursive: boolean): Promise<void> {
    await whenOpen(this.socket, this.waitMs);
    await this.socket.request('workspace.delete', { projectId, path, recursive });
  }

  async rename(projectId: string, from: string, to: string, overwrite: boolean): Promise<Entry> {
    await whenOpen(this.socket, this.waitMs);
    return this.socket.request('workspace.rename', { projectId, from, to, overwrite });
  }

  async copy(projectId: string, from: string, to: string, overwrite: boolean): Promise<Entry> {
    await whenOpen(this.socket, this.waitMs);
    return this.socket.request('workspace.copy', { projectId, from, to, overwrite, recursive: true });
  }

  read(projectId: string, path: string): Promise<Uint8Array> {
    return this.rest('files.read', { params: { projectId }, query: { path } });
  }

  write(projectId: string, path: string, data: Uint8Array, createParents = false): Promise<Entry> {
    return this.rest('files.write', { params: { projectId }, query: { path, createParents: String(createParents) }, body: data });
  }
}
