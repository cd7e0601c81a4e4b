import * as vscode from 'vscode';
import { ReadOnlyDocuments } from '../documents/read-only-documents';

export const CHECKPOINT_DIFF_SCHEME = 'slipway-checkpoint';

/** Shows a checkpoint's diff as a read-only document. */
export class CheckpointDiffDocs implements vscode.Disposable {
  private readonly documents = new ReadOnlyDocuments(CHECKPOINT_DIFF_SCHEME, 50);

  async show(name: string, text: string): Promise<void> {
    const uri = this.documents.put(`${name}.diff`, text);
    const doc = await vscode.languages.setTextDocumentLanguage(await vscode.workspace.openTextDocument(uri), 'diff');
    await vscode.window.showTextDocument(doc, { preview: true });
  }

  dispose(): void {
    this.documents.dispose();
  }
}
