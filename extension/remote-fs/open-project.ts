import * as vscode from 'vscode';
import type { Project } from '../../protocol/rest/projects';
import { rootUri } from './slipway-fs';

/** The workspace folder showing a project's sandbox, if it is open. */
export function projectFolder(projectId: string): vscode.WorkspaceFolder | undefined {
  const root = rootUri(projectId).toString();
  return vscode.workspace.workspaceFolders?.find((folder) => folder.uri.toString() === root);
}

const folderName = (project: Project): string => `${project.name} (Slipway)`;

/**
 * Shows a project's sandbox workspace in the Explorer. In an empty window the project becomes the
 * window's workspace (with `storage`: a workspace file of its own there, so the folder carries the project's name; the
 * window reloads into it, and the chat stays on the project: see ProjectSelection). A window with
 * folders gets the project added after them, so the extension host keeps running.
 */
export async function openProjectFolder(project: Project, storage?: vscode.Uri): Promise<vscode.WorkspaceFolder | undefined> {
  let folder = projectFolder(project.id);
  const count = vscode.workspace.workspaceFolders?.length ?? 0;
  if (!folder && count === 0 && !vscode.workspace.workspaceFile && !storage) {
    await vscode.commands.executeCommand('vscode.openFolder', rootUri(project.id), { forceReuseWindow: true });
    return undefined;
  }
  if (!folder && count === 0 && !vscode.workspace.workspaceFile && storage) {
    const file = vscode.Uri.joinPath(storage, 'workspaces', `${project.slug}-${project.id.slice(0, 8)}.code-workspace`);
    const content = { folders: [{ uri: rootUri(project.id).toString(), name: folderName(project) }], settings: {} };
    await vscode.workspace.fs.writeFile(file, new TextEncoder().encode(`${JSON.stringify(content, null, 2)}\n`));
    await vscode.commands.executeCommand('vscode.openFolder', file, { forceReuseWindow: true });
    return undefined;
  }
  if (!folder) {
    const added = new Promise<void>((resolve) => {
      const sub = vscode.workspace.onDidChangeWorkspaceFolders(() => {
        if (!projectFolder(project.id)) return;
        sub.dispose();
        resolve();
      });
    });
    if (!vscode.workspace.updateWorkspaceFolders(count, 0, { uri: rootUri(project.id), name: folderName(project) })) {
      throw new Error(`VS Code did not add "${project.name}" to the workspace.`);
    }
    await Promise.race([added, new Promise((resolve) => setTimeout(resolve, 5000))]);
    folder = projectFolder(project.id);
  }
  await vscode.commands.executeCommand('workbench.view.explorer');
  return folder;
}

/** Takes a deleted project's folder out of the workspace; true when there was one. */
export function removeProjectFolder(projectId: string): boolean {
  const folder = projectFolder(projectId);
  return folder ? vscode.workspace.updateWorkspaceFolders(folder.index, 1) : false;
}

/** Asks to start a stopped project before its files are opened; false when the user declines. */
export async function ensureStarted(project: Project, start: () => Promise<unknown>): Promise<boolean> {
  if (project.desiredState === 'RUNNING' || project.status === 'RUNNING') return true;
  const answer = await vscode.window.showWarningMessage(`"${project.name}" is stopped. Start its sandbox to open its files?`, 'Start', 'Cancel');
  if (answer !== 'Start') return false;
  await start();
  return true;
}
