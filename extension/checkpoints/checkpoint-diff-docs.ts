import * as vscode from 'vscode';

export const CHECKPOINT_DIFF_SCHEME = 'slipway-checkpoint';

/** Read-only documents holding a checkpoint's diff (a content provider's documents cannot be edited). */
export class CheckpointDiffDocs implements vscode.TextDocumentContentProvider, vscode.Disposable {
  private readonly texts = new Map<string, string>();
  private next = 0;
  private readonly registration = vscode.workspace.registerTextDocumentContentProvider(CHECKPOINT_DIFF_SCHEME, this);

  provideTextDocumentContent(uri: vscode.Uri): string {
    return this.texts.get(uri.toString()) ?? '';
  }

  async show(name: string, text: string): Promise<void> {
    const uri = vscode.Uri.from({ scheme: CHECKPOINT_DIFF_SCHEME, path: `/${++this.next}/${name}.diff` });
    this.texts.set(uri.toString(), text);
    if (this.texts.size > 50) this.texts.delete(this.texts.keys().next().value!);
    const doc = await vscode.languages.setTextDocumentLanguage(await vscode.workspace.openTextDocument(uri), 'diff');
    await vscode.window.showTextDocument(doc, { preview: true });
  }

  dispose(): void {
    this.registration.dispose();
    this.texts.clear();
  }
}
