import * as vscode from 'vscode';

/**
 * Read-only text documents under a scheme of their own (a content provider's documents cannot be
 * edited): the "before" side of a diff, a checkpoint's patch. Keeps the newest `keep` texts.
 */
export class ReadOnlyDocuments implements vscode.TextDocumentContentProvider, vscode.Disposable {
  private readonly texts = new Map<string, string>();
  private next = 0;
  private readonly registration: vscode.Disposable;

  constructor(private readonly scheme: string, private readonly keep: number) {
    this.registration = vscode.workspace.registerTextDocumentContentProvider(scheme, this);
  }

  provideTextDocumentContent(uri: vscode.Uri): string {
    return this.texts.get(uri.toString()) ?? '';
  }

  /** A new document holding `text`, named after `path`. */
  put(path: string, text: string): vscode.Uri {
    const uri = vscode.Uri.from({ scheme: this.scheme, path: `/${++this.next}/${path.replace(/^\/+/, '')}` });
    this.texts.set(uri.toString(), text);
    if (this.texts.size > this.keep) this.texts.delete(this.texts.keys().next().value!);
    return uri;
  }

  dispose(): void {
    this.registration.dispose();
    this.texts.clear();
  }
}
