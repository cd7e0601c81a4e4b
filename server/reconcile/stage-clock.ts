/** The steps of bringing a project's sandbox up, in the order the reconciler passes them. */
export type CreateStage = 'claimed' | 'recorded' | 'started' | 'daemon' | 'prepared' | 'running';

/**
 * When each project passed each step of a start, for `npm run bench`'s per-stage breakdown. Always
 * on and nearly free: a mark is one call that does nothing until a listener is attached (the bench,
 * in the server's process); nothing is kept, logged or served to users.
 */
export class StageClock {
  private listener: ((projectId: string, stage: CreateStage, at: number) => void) | undefined;

  mark(projectId: string, stage: CreateStage): void {
    this.listener?.(projectId, stage, performance.timeOrigin + performance.now());
  }

  /** One listener at a time; returns how to detach it. Times are epoch milliseconds (sub-ms precision). */
  listen(listener: (projectId: string, stage: CreateStage, at: number) => void): () => void {
    this.listener = listener;
    return () => {
      if (this.listener === listener) this.listener = undefined;
    };
  }
}
