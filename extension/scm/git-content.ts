import * as vscode from 'vscode';
import { SLIPWAY_SCHEME, projectIdOf, workspacePathOf } from '../remote-fs/workspace-uri';
import type { GitSocket } from './git-socket';

/** `slipway-git://<projectId>/<path>?ref=HEAD|index`: a file as git has it, read-only. */
export const GIT_SCHEME = 'slipway-git';
export type GitRef = 'HEAD' | 'index';

export const gitUri = (file: vscode.Uri, ref: GitRef): vscode.Uri => file.with({ scheme: GIT_SCHEME, query: `ref=${ref}` });

/**
 * The "before" side of Source Control diffs and of the gutter's quick diff: the HEAD or index
 * version from the sandbox's repository. Open documents are told to re-read when the repository changes.
 */
export class GitContent implements vscode.TextDocumentContentProvider, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.changed.event;
  private readonly registration = vscode.workspace.registerTextDocumentContentProvider(GIT_SCHEME, this);

  constructor(private readonly git: GitSocket) {}

  async provideTextDocumentContent(uri: vscode.Uri): Promise<string> {
    const ref: GitRef = uri.query === 'ref=index' ? 'index' : 'HEAD';
    const shown = await this.git.request('git.show', { projectId: projectIdOf(uri.authority), path: workspacePathOf(uri.path), ref });
    if (shown.tooLarge) return `(${shown.size} bytes: too large to compare)`;
    return Buffer.from(shown.base64, 'base64').toString('utf8');
  }

  /** The repository of a project moved on: open "before" documents read again. */
  refresh(projectId: string): void {
    for (const doc of vscode.workspace.textDocuments) {
      if (doc.uri.scheme === GIT_SCHEME && doc.uri.authority === projectId) this.changed.fire(doc.uri);
    }
  }

  dispose(): void {
    this.registration.dispose();
    this.changed.dispose();
  }
}

export const isSlipwayFile = (uri: vscode.Uri): boolean => uri.scheme === SLIPWAY_SCHEME;
