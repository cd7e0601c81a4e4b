import type { FSWatcher, Stats } from 'node:fs';
import { lstatSync, readdirSync, watch } from 'node:fs';
import path from 'node:path';
import type { Change } from '../../../protocol/daemon/watch';
import { isTempName } from '../workspace/temp-names';

/** Directories whose contents are never watched (the directories themselves are reported). */
const UNWATCHED = new Set(['.git', 'node_modules']);

export interface TreeWatcherEvents {
  change(change: Change): void;
  /** Changes may have been missed; clients should re-list. */
  overflow(reason: string): void;
}

/**
 * Watches a directory tree with one inotify watch per directory (fs.watch, not recursive mode),
 * adding watches as directories appear and dropping them as they go. Work is synchronous so
 * events are handled in the order the kernel gave them.
 */
export class TreeWatcher {
  private readonly watchers = new Map<string, FSWatcher>();
  private full = false;

  constructor(
    private readonly root: string,
    private readonly events: TreeWatcherEvents,
    private readonly maxDirectories = 50_000,
  ) {}

  start(): void {
    this.watchTree('', false);
  }

  get directoryCount(): number {
    return this.watchers.size;
  }

  close(): void {
    for (const watcher of this.watchers.values()) watcher.close();
    this.watchers.clear();
  }

  /** Watches `rel` and every directory below; with `report`, also reports what it finds as created. */
  private watchTree(rel: string, report: boolean): void {
    const pending = [rel];
    for (let dir = pending.pop(); dir !== undefined; dir = pending.pop()) {
      if (!this.watchDirectory(dir)) return;
      let names: string[];
      try {
        names = readdirSync(path.join(this.root, dir));
      } catch {
        continue;
      }
      for (const name of names) {
        if (isTempName(name)) continue;
        const child = dir ? `${dir}/${name}` : name;
        const info = lstatQuiet(child, this.root);
        if (!info) continue;
        if (report) this.events.change({ path: child, kind: 'create', directory: info.isDirectory() });
        if (info.isDirectory() && !UNWATCHED.has(name)) pending.push(child);
      }
    }
  }

  private watchDirectory(rel: string): boolean {
    if (this.watchers.has(rel)) return true;
    if (this.watchers.size >= this.maxDirectories) return this.overflow(`more than ${this.maxDirectories} directories`);
    try {
      const watcher = watch(path.join(this.root, rel), { persistent: false }, (type, name) => this.onEvent(rel, type, name));
      watcher.on('error', () => this.unwatch(rel));
      this.watchers.set(rel, watcher);
      return true;
    } catch (error) {
      const code = error instanceof Error && 'code' in error ? error.code : undefined;
      if (code === 'ENOSPC' || code === 'EMFILE') return this.overflow('the inotify watch limit was reached');
      return true; // vanished or unreadable: nothing to watch
    }
  }

  private overflow(reason: string): false {
    if (!this.full) this.events.overflow(reason);
    this.full = true;
    return false;
  }

  private onEvent(dir: string, type: string, name: string | Buffer | null): void {
    if (name === null) {
      this.events.overflow('the watcher lost track of changes');
      return;
    }
    const fileName = name.toString();
    if (isTempName(fileName)) return;
    const rel = dir ? `${dir}/${fileName}` : fileName;
    const info = lstatQuiet(rel, this.root);
    if (!info) {
      // A watched directory reports its own removal under its own name: the parent reports it too.
      if (dir && fileName === path.basename(dir) && !lstatQuiet(dir, this.root)) return;
      const wasDirectory = this.watchers.has(rel);
      this.unwatch(rel);
      this.events.change({ path: rel, kind: 'delete', directory: wasDirectory });
      return;
    }
    const isDirectory = info.isDirectory();
    const known = isDirectory && this.watchers.has(rel);
    this.events.change({ path: rel, kind: type === 'change' || known ? 'modify' : 'create', directory: isDirectory });
    if (isDirectory && !known && !UNWATCHED.has(fileName)) this.watchTree(rel, true);
  }

  /** Stops watching `rel` and everything under it. */
  private unwatch(rel: string): void {
    const prefix = `${rel}/`;
    for (const [dir, watcher] of this.watchers) {
      if (dir === rel || dir.startsWith(prefix)) {
        watcher.close();
        this.watchers.delete(dir);
      }
    }
  }
}

function lstatQuiet(rel: string, root: string): Stats | undefined {
  try {
    return lstatSync(path.join(root, rel));
  } catch {
    return undefined;
  }
}
