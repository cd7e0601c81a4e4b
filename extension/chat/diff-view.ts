import * as vscode from 'vscode';
import { SLIPWAY_SCHEME, uriPathOf } from '../remote-fs/workspace-uri';
import { ReadOnlyDocuments } from '../documents/read-only-documents';
import { textBefore } from './reverse-patch';

export const DIFF_SCHEME = 'slipway-diff';

export interface FileChange { path: string; kind: 'create' | 'modify' | 'delete'; diff: string }

/**
 * Shows an agent's file change in VS Code's diff editor: the left side is a read-only `slipway-diff:`
 * document holding the text before the change (rebuilt from the current file and the change's diff),
 * the right side the file itself through the `slipway:` file system (editable, live).
 */
export class DiffViews implements vscode.Disposable {
  private readonly documents = new ReadOnlyDocuments(DIFF_SCHEME, 200);

  async open(projectId: string, change: FileChange): Promise<void> {
    const current = vscode.Uri.from({ scheme: SLIPWAY_SCHEME, authority: projectId, path: uriPathOf(change.path) });
    const name = change.path.split('/').at(-1) ?? change.path;
    const after = change.kind === 'delete' ? '' : await this.read(current);
    let before: string;
    let note = '';
    if (change.kind === 'create') before = '';
    else if (change.kind === 'delete') before = oldSide(change.diff);
    else {
      const rebuilt = after === undefined ? undefined : textBefore(after, change.diff);
      if (rebuilt === undefined) note = ' (changed since: showing the agent\'s diff)';
      before = rebuilt ?? oldSide(change.diff);
    }
    const left = this.documents.put(`${change.path}.before`, before);
    const right = change.kind === 'delete' || after === undefined ? this.documents.put(change.path, after ?? '') : current;
    await vscode.commands.executeCommand('vscode.diff', left, right, `${name}: agent's change${note}`, { preview: true });
  }

  private async read(uri: vscode.Uri): Promise<string | undefined> {
    try {
      return new TextDecoder().decode(await vscode.workspace.fs.readFile(uri));
    } catch {
      return undefined;
    }
  }

  dispose(): void {
    this.documents.dispose();
  }
}

/** The removed and unchanged lines of a diff: the old text where the diff covers the whole file. */
function oldSide(diff: string): string {
  return diff.split('\n').filter((l) => /^[ -]/.test(l) && !l.startsWith('--- ')).map((l) => l.slice(1)).join('\n');
}
