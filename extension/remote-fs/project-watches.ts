import type { Change } from '../../protocol/daemon/watch';
import type { FeedSink } from './watch-feed';
import { isWithin, parentOf } from './workspace-uri';

export interface WatchRequest {
  projectId: string;
  /** A workspace path (`.` for the root). */
  path: string;
  recursive: boolean;
}

/**
 * What VS Code asked to watch (`FileSystemProvider.watch`), as one feed per project: the feed starts
 * with the project's first watcher and ends with its last. Changes outside every watched path are
 * dropped; a resync reports the project's root as changed.
 */
export class ProjectWatches {
  private readonly requests = new Map<number, WatchRequest>();
  private readonly feeds = new Map<string, { dispose(): void }>();
  private nextId = 0;

  constructor(
    private readonly startFeed: (projectId: string, sink: FeedSink) => { dispose(): void },
    private readonly emit: (projectId: string, changes: Change[]) => void,
    private readonly resync: (projectId: string) => void,
  ) {}

  add(request: WatchRequest): () => void {
    const id = ++this.nextId;
    this.requests.set(id, request);
    if (!this.feeds.has(request.projectId)) this.feeds.set(request.projectId, this.feedFor(request.projectId));
    return () => {
      if (!this.requests.delete(id)) return;
      if ([...this.requests.values()].some((r) => r.projectId === request.projectId)) return;
      this.feeds.get(request.projectId)?.dispose();
      this.feeds.delete(request.projectId);
    };
  }

  /** The socket changed (signed in again): every feed starts over on the new one. */
  restart(): void {
    for (const [projectId, feed] of this.feeds) {
      feed.dispose();
      this.feeds.set(projectId, this.feedFor(projectId));
      this.resync(projectId);
    }
  }

  watched(projectId: string, path: string): boolean {
    for (const r of this.requests.values()) {
      if (r.projectId !== projectId) continue;
      if (r.recursive ? isWithin(path, r.path) : path === r.path || parentOf(path) === r.path) return true;
    }
    return false;
  }

  get projects(): string[] {
    return [...this.feeds.keys()];
  }

  private feedFor(projectId: string): { dispose(): void } {
    return this.startFeed(projectId, {
      changes: (changes) => {
        const wanted = changes.filter((c) => this.watched(projectId, c.path));
        if (wanted.length) this.emit(projectId, wanted);
      },
      resync: () => this.resync(projectId),
    });
  }

  dispose(): void {
    for (const feed of this.feeds.values()) feed.dispose();
    this.feeds.clear();
    this.requests.clear();
  }
}
