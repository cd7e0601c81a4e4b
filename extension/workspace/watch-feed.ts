import type { SocketClient } from '../../protocol/client/socket-client';
import type { Change } from '../../protocol/daemon/watch';

export type FeedSocket = Pick<SocketClient, 'request' | 'on' | 'onState' | 'state'>;

export interface FeedSink {
  changes(changes: Change[]): void;
  /** Changes were lost (too many, or while away and no longer kept): re-read everything. */
  resync(): void;
}

/**
 * One project's `workspace.watch` subscription on the extension's socket. It subscribes again after
 * every reconnection (and when the project comes back to RUNNING), passing the last epoch and
 * cursor seen so the server replays what was missed; when it cannot, the sink hears `resync`.
 * Batches at or below the cursor already delivered are dropped, so a replay never repeats.
 */
export class WatchFeed {
  private epoch: string | undefined;
  private cursor: number | undefined;
  private running: boolean | undefined;
  private disposed = false;
  private readonly offs: (() => void)[];

  constructor(private readonly socket: FeedSocket, readonly projectId: string, private readonly sink: FeedSink, private readonly onError: (error: unknown) => void = () => {}) {
    this.offs = [
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
        if (running && this.running === false) void this.subscribe();
        this.running = running;
      }),
      socket.onState((state) => state.status === 'open' && void this.subscribe()),
    ];
    if (socket.state.status === 'open') void this.subscribe();
  }

  /** (Re)subscribes, resuming from what was seen. */
  async subscribe(): Promise<void> {
    const resume = this.epoch !== undefined && this.cursor !== undefined ? { epoch: this.epoch, cursor: this.cursor } : {};
    try {
      const result = await this.socket.request('workspace.watch', { projectId: this.projectId, ...resume });
      if (this.disposed) return;
      const resumed = this.epoch !== undefined;
      const newEpoch = result.epoch !== this.epoch;
      this.epoch = result.epoch;
      if (result.resync || newEpoch) {
        this.cursor = result.cursor;
        if (resumed) this.sink.resync();
      } else {
        this.cursor ??= result.cursor;
      }
    } catch (error) {
      if (!this.disposed) this.onError(error);
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
