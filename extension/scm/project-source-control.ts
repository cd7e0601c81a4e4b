import * as vscode from 'vscode';
import type { BranchState, FileChange } from '../../protocol/daemon/git';
import { uriPathOf } from '../remote-fs/workspace-uri';
import { describeCode, groupChanges } from './change-presentation';
import { gitUri, type GitContent } from './git-content';
import type { GitDecorations } from './git-decorations';
import type { GitSocket } from './git-socket';

/** A resource state that remembers its change, for the commands run on it. */
export interface GitResource extends vscode.SourceControlResourceState {
  readonly change: FileChange;
  readonly group: 'staged' | 'changes';
  readonly projectId: string;
}

const REFRESH_DELAY_MS = 300;

/**
 * Source Control for one `slipway:` folder: Staged and Changes groups, the commit box, the branch
 * and sync state in the status bar, and quick diff against the index. It refreshes when the
 * workspace's files change (the watch feed, through a file system watcher) and after each action.
 */
export class ProjectSourceControl implements vscode.Disposable {
  readonly scm: vscode.SourceControl;
  private readonly staged: vscode.SourceControlResourceGroup;
  private readonly changes: vscode.SourceControlResourceGroup;
  private readonly conflicts: vscode.SourceControlResourceGroup;
  private readonly disposables: vscode.Disposable[] = [];
  private timer: NodeJS.Timeout | undefined;
  private refreshing: Promise<void> | undefined;
  private again = false;
  branch: BranchState | undefined;
  isRepository = false;

  constructor(
    readonly projectId: string,
    readonly root: vscode.Uri,
    private readonly git: GitSocket,
    private readonly content: GitContent,
    private readonly decorations: GitDecorations,
    private readonly log: (message: string) => void,
  ) {
    this.scm = vscode.scm.createSourceControl('slipway-git', 'Git', root);
    this.conflicts = this.scm.createResourceGroup('merge', 'Merge Changes');
    this.staged = this.scm.createResourceGroup('staged', 'Staged Changes');
    this.changes = this.scm.createResourceGroup('changes', 'Changes');
    for (const group of [this.conflicts, this.staged]) group.hideWhenEmpty = true;
    this.scm.inputBox.placeholder = 'Message (Ctrl+Enter to commit)';
    this.scm.acceptInputCommand = { command: 'slipway.git.commit', title: 'Commit', arguments: [this.scm] };
    this.scm.quickDiffProvider = { provideOriginalResource: (uri) => (this.isRepository && uri.authority === projectId ? gitUri(uri, 'index') : undefined) };
    const watcher = vscode.workspace.createFileSystemWatcher(new vscode.RelativePattern(root, '**/*'));
    this.disposables.push(
      this.scm, this.staged, this.changes, this.conflicts, watcher,
      watcher.onDidChange(() => this.schedule()), watcher.onDidCreate(() => this.schedule()), watcher.onDidDelete(() => this.schedule()),
      git.on('workspace.changes', (batch) => batch.projectId === projectId && this.schedule()),
      git.on('project.updated', ({ project }) => project.id === projectId && project.status === 'RUNNING' && this.schedule()),
      // A commit made in a terminal changes only .git, which the watch feed leaves out: look again on return to the window.
      vscode.window.onDidChangeWindowState((state) => state.focused && this.schedule()),
    );
    this.schedule(0);
  }

  /** Refreshes soon, coalescing bursts of changes. */
  schedule(delay = REFRESH_DELAY_MS): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.refresh(), delay);
  }

  async refresh(): Promise<void> {
    if (this.refreshing) {
      this.again = true;
      return this.refreshing;
    }
    this.refreshing = this.load().finally(() => {
      this.refreshing = undefined;
      if (this.again) {
        this.again = false;
        void this.refresh();
      }
    });
    return this.refreshing;
  }

  private async load(): Promise<void> {
    try {
      const status = await this.git.request('git.status', { projectId: this.projectId });
      this.isRepository = status.repository;
      if (!status.repository) {
        for (const group of [this.staged, this.changes, this.conflicts]) group.resourceStates = [];
        this.scm.count = 0;
        this.scm.statusBarCommands = [];
        this.scm.inputBox.enabled = false;
        this.scm.inputBox.placeholder = 'This project\'s workspace is not a Git repository';
        this.decorations.clear(this.projectId);
        return;
      }
      this.scm.inputBox.enabled = true;
      this.branch = status.branch;
      const grouped = groupChanges(status.changes);
      this.conflicts.resourceStates = grouped.conflicts.map((c) => this.resource(c, 'changes'));
      this.staged.resourceStates = grouped.staged.map((c) => this.resource(c, 'staged'));
      this.changes.resourceStates = grouped.changes.map((c) => this.resource(c, 'changes'));
      this.scm.count = grouped.changes.length + grouped.staged.length + grouped.conflicts.length;
      this.scm.inputBox.placeholder = `Message (Ctrl+Enter to commit on "${status.branch.head ?? 'detached HEAD'}")`;
      this.scm.statusBarCommands = this.statusBar(status.branch);
      this.content.refresh(this.projectId);
      this.decorations.set(this.projectId, status.changes, (path) => this.fileUri(path));
    } catch (error) {
      this.log(`Source Control of ${this.projectId}: ${(error as Error).message}`);
    }
  }

  fileUri(path: string): vscode.Uri {
    return this.root.with({ path: uriPathOf(path) });
  }

  private resource(change: FileChange, group: 'staged' | 'changes'): GitResource {
    const code = group === 'staged' ? change.index : change.worktree;
    const uri = this.fileUri(change.path);
    const deleted = code === 'D';
    return {
      resourceUri: uri,
      change, group, projectId: this.projectId,
      contextValue: code === '?' ? 'untracked' : group,
      decorations: { strikeThrough: deleted, faded: false, tooltip: `${describeCode(code)}${change.origPath ? ` (from ${change.origPath})` : ''}` },
      command: { command: 'slipway.git.openChange', title: 'Open Changes', arguments: [{ resourceUri: uri, change, group, projectId: this.projectId }] },
    };
  }

  private statusBar(branch: BranchState): vscode.Command[] {
    const name = branch.head ?? (branch.oid ? branch.oid.slice(0, 8) : 'no commits');
    const commands: vscode.Command[] = [{ command: 'slipway.git.checkout', title: `$(git-branch) ${name}`, tooltip: 'Switch or create a branch', arguments: [this.scm] }];
    if (branch.upstream) {
      commands.push({ command: 'slipway.git.sync', title: `$(sync) ${branch.behind}↓ ${branch.ahead}↑`, tooltip: `Synchronize with ${branch.upstream} (pull, then push)`, arguments: [this.scm] });
    } else if (branch.head) {
      commands.push({ command: 'slipway.git.push', title: '$(cloud-upload)', tooltip: 'Publish the branch (push)', arguments: [this.scm] });
    }
    return commands;
  }

  dispose(): void {
    clearTimeout(this.timer);
    this.decorations.clear(this.projectId);
    for (const d of this.disposables) d.dispose();
  }
}
