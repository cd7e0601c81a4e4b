import * as vscode from 'vscode';

const KEY = 'slipway.selectedProject';

/** The project the chat works on: the last one picked in the Projects view (kept per workspace). */
export class ProjectSelection implements vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<string | undefined>();
  readonly onDidChange = this.changed.event;

  constructor(private readonly state: vscode.Memento) {}

  get projectId(): string | undefined {
    return this.state.get<string>(KEY);
  }

  async select(projectId: string | undefined): Promise<void> {
    if (projectId === this.projectId) return;
    await this.state.update(KEY, projectId);
    this.changed.fire(projectId);
  }

  dispose(): void {
    this.changed.dispose();
  }
}
