import * as vscode from 'vscode';
import type { Project } from '../../protocol/rest/projects';
import { rootUri } from './slipway-fs';

/** The workspace folder showing a project's sandbox, if it is open. */
export function projectFolder(projectId: string): vscode.WorkspaceFolder | undefined {
  const root = rootUri(projectId).toString();
  return vscode.workspace.workspaceFolders?.find((folder) => folder.uri.toString() === root);
}

/**
 * Adds the project's sandbox workspace as a folder of this window (after the folders already open,
 * so the extension host keeps running), then shows it in the Explorer.
 */
export async function openProjectFolder(project: Project): Promise<vscode.WorkspaceFolder | undefined> {
  let folder = projectFolder(project.id);
  if (!folder) {
    const count = vscode.workspace.workspaceFolders?.length ?? 0;
    const added = new Promise<void>((resolve) => {
      const sub = vscode.workspace.onDidChangeWorkspaceFolders(() => {
        if (!projectFolder(project.id)) return;
        sub.dispose();
        resolve();
      });
    });
    if (!vscode.workspace.updateWorkspaceFolders(count, 0, { uri: rootUri(project.id), name: `${project.name} (Slipway)` })) {
      throw new Error(`VS Code did not add "${project.name}" to the workspace.`);
    }
    await Promise.race([added, new Promise((resolve) => setTimeout(resolve, 5000))]);
    folder = projectFolder(project.id);
  }
  await vscode.commands.executeCommand('workbench.view.explorer');
  return folder;
}

/** Asks to start a stopped project before its files are opened; false when the user declines. */
export async function ensureStarted(project: Project, start: () => Promise<unknown>): Promise<boolean> {
  if (project.desiredState === 'RUNNING' || project.status === 'RUNNING') return true;
  const answer = await vscode.window.showWarningMessage(`"${project.name}" is stopped. Start its sandbox to open its files?`, 'Start', 'Cancel');
  if (answer !== 'Start') return false;
  await start();
  return true;
}
