import { ChangeJournal } from './change-journal';
import { TreeWatcher } from './tree-watcher';

/**
 * The one watcher of the workspace. It starts with the first subscriber and then keeps running
 * for the daemon's life, so clients that reconnect can resume from their cursor.
 */
export class WorkspaceWatch {
  readonly journal = new ChangeJournal();
  private watcher: TreeWatcher | undefined;

  constructor(private readonly root: string) {}

  ensureStarted(): void {
    if (this.watcher) return;
    this.watcher = new TreeWatcher(this.root, {
      change: (change) => this.journal.add(change),
      overflow: (reason) => this.journal.overflow(reason),
    });
    this.watcher.start();
  }

  close(): void {
    this.watcher?.close();
    this.journal.close();
  }
}
