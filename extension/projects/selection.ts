import * as vscode from 'vscode';
import { SLIPWAY_SCHEME } from '../remote-fs/workspace-uri';

const KEY = 'slipway.selectedProject';

/** The project of the window's only `slipway:` folder (a window opened on a project), if so. */
function projectOfFolders(): string | undefined {
  const folders = (vscode.workspace.workspaceFolders ?? []).filter((folder) => folder.uri.scheme === SLIPWAY_SCHEME);
  return folders.length === 1 ? folders[0]!.uri.authority : undefined;
}

/**
 * The project the chat works on: the last one picked in the Projects view (kept per workspace). A
 * window opened on a project (Open Project Files in an empty window) starts with that project.
 */
export class ProjectSelection implements vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<string | undefined>();
  readonly onDidChange = this.changed.event;

  constructor(private readonly state: vscode.Memento) {}

  get projectId(): string | undefined {
    return this.state.get<string>(KEY) ?? projectOfFolders();
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
