import type { Kept } from '../../protocol/client/kept-subscription';
import type { SocketClient } from '../../protocol/client/socket-client';
import type { WsResult } from '../../protocol/ws';
import type { Change } from '../../protocol/daemon/watch';

export type FeedSocket = Pick<SocketClient, 'request' | 'on' | 'onState' | 'state' | 'keep'>;

export interface FeedSink {
  changes(changes: Change[]): void;
  /** Changes were lost (too many, or while away and no longer kept): re-read everything. */
  resync(): void;
}

/**
 * One project's `workspace.watch` subscription on the extension's socket. It subscribes again after
 * every reconnection (kept by the socket) and when the project comes back to RUNNING, passing the
 * last epoch and cursor seen so the server replays what was missed; when it cannot, the sink hears `resync`.
 * Batches at or below the cursor already delivered are dropped, so a replay never repeats.
 */
export class WatchFeed {
  private epoch: string | undefined;
  private cursor: number | undefined;
  private running: boolean | undefined;
  private disposed = false;
  private readonly offs: (() => void)[];
  private readonly watch: Kept;

  constructor(private readonly socket: FeedSocket, readonly projectId: string, private readonly sink: FeedSink, onError: (error: unknown) => void = () => {}) {
    const resume = () => (this.epoch !== undefined && this.cursor !== undefined ? { epoch: this.epoch, cursor: this.cursor } : {});
    this.watch = socket.keep('workspace.watch', () => ({ projectId, ...resume() }), { onResult: (result) => this.watching(result), onError });
    this.offs = [
      this.watch,
      socket.on('workspace.changes', (batch) => {
        if (batch.projectId !== projectId || (this.cursor !== undefined && batch.cursor <= this.cursor)) return;
        this.cursor = batch.cursor;
        sink.changes(batch.changes);
      }),
      socket.on('workspace.resync', (event) => {
        if (event.projectId !== projectId) return;
        this.cursor = event.cursor;
        sink.resync();
      }),
      socket.on('project.updated', ({ project }) => {
        if (project.id !== projectId) return;
        const running = project.status === 'RUNNING';
        if (running && this.running === false) void this.watch.again();
        this.running = running;
      }),
    ];
  }

  private watching(result: WsResult<'workspace.watch'>): void {
    const resumed = this.epoch !== undefined;
    const newEpoch = result.epoch !== this.epoch;
    this.epoch = result.epoch;
    if (result.resync || newEpoch) {
      this.cursor = result.cursor;
      if (resumed) this.sink.resync();
    } else {
      this.cursor ??= result.cursor;
    }
  }

  get position(): { epoch: string | undefined; cursor: number | undefined } {
    return { epoch: this.epoch, cursor: this.cursor };
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    for (const off of this.offs) off();
    if (this.socket.state.status === 'open') this.socket.request('workspace.unwatch', { projectId: this.projectId }).catch(() => undefined);
  }
}
