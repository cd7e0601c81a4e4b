import * as vscode from 'vscode';
import type { ChangeCode, FileChange } from '../../protocol/daemon/git';

const STYLE: Partial<Record<ChangeCode, { letter: string; color: string; tooltip: string }>> = {
  M: { letter: 'M', color: 'gitDecoration.modifiedResourceForeground', tooltip: 'Modified' },
  T: { letter: 'T', color: 'gitDecoration.modifiedResourceForeground', tooltip: 'Type changed' },
  A: { letter: 'A', color: 'gitDecoration.addedResourceForeground', tooltip: 'Added' },
  R: { letter: 'R', color: 'gitDecoration.renamedResourceForeground', tooltip: 'Renamed' },
  C: { letter: 'C', color: 'gitDecoration.addedResourceForeground', tooltip: 'Copied' },
  D: { letter: 'D', color: 'gitDecoration.deletedResourceForeground', tooltip: 'Deleted' },
  U: { letter: '!', color: 'gitDecoration.conflictingResourceForeground', tooltip: 'Conflict' },
  '?': { letter: 'U', color: 'gitDecoration.untrackedResourceForeground', tooltip: 'Untracked' },
};

/** The change letters (M, A, U, D…) of `slipway:` files in the Explorer, tabs and Source Control. */
export class GitDecorations implements vscode.FileDecorationProvider, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<vscode.Uri[]>();
  readonly onDidChangeFileDecorations = this.changed.event;
  private readonly byProject = new Map<string, Map<string, vscode.FileDecoration>>();
  private readonly registration = vscode.window.registerFileDecorationProvider(this);

  provideFileDecoration(uri: vscode.Uri): vscode.FileDecoration | undefined {
    return this.byProject.get(uri.authority)?.get(uri.toString());
  }

  /** The project's changes now; `fileUri` names each path. */
  set(projectId: string, changes: FileChange[], fileUri: (path: string) => vscode.Uri): void {
    const next = new Map<string, vscode.FileDecoration>();
    for (const change of changes) {
      const code = change.conflict ? 'U' : change.worktree !== '.' ? change.worktree : change.index;
      const style = STYLE[code];
      if (style) next.set(fileUri(change.path).toString(), new vscode.FileDecoration(style.letter, style.tooltip, new vscode.ThemeColor(style.color)));
    }
    const before = this.byProject.get(projectId) ?? new Map();
    this.byProject.set(projectId, next);
    const touched = new Set([...before.keys(), ...next.keys()]);
    if (touched.size) this.changed.fire([...touched].map((key) => vscode.Uri.parse(key)));
  }

  clear(projectId: string): void {
    const before = this.byProject.get(projectId);
    this.byProject.delete(projectId);
    if (before?.size) this.changed.fire([...before.keys()].map((key) => vscode.Uri.parse(key)));
  }

  dispose(): void {
    this.registration.dispose();
    this.changed.dispose();
  }
}
