import * as vscode from 'vscode';
import type { Project } from '../protocol/rest/projects';
import { registerCommand } from './commands';
import type { ServerConnection } from './connection/server-connection';
import type { Logger } from './log';
import { openPreview } from './preview/open-preview';
import { projectFrom } from './projects/pick';
import type { ProjectsModel } from './projects/projects-model';
import type { ProjectsNode } from './projects/projects-tree';
import type { ProjectSelection } from './projects/selection';
import { registerTerminals } from './terminals/terminal-commands';
import { DeletedProjects } from './projects/deleted-projects';
import { ensureStarted, openProjectFolder, removeProjectFolder } from './remote-fs/open-project';
import { SlipwayFileSystem } from './remote-fs/slipway-fs';
import { WorkspaceAccess } from './remote-fs/workspace-access';
import { SLIPWAY_SCHEME } from './remote-fs/workspace-uri';

/** The project of the active `slipway:` editor, or of the only `slipway:` workspace folder. */
function projectInView(): string | undefined {
  const active = vscode.window.activeTextEditor?.document.uri;
  if (active?.scheme === SLIPWAY_SCHEME) return active.authority;
  const folders = (vscode.workspace.workspaceFolders ?? []).filter((folder) => folder.uri.scheme === SLIPWAY_SCHEME);
  return folders.length === 1 ? folders[0]!.uri.authority : undefined;
}

interface Deps {
  connection: ServerConnection;
  model: ProjectsModel;
  selection: ProjectSelection;
  log: Logger;
  context: vscode.ExtensionContext;
  /** The stored session has been read. */
  ready: Promise<unknown>;
}

/** The sandbox as VS Code sees it: the `slipway:` file system, Open Project, terminals and preview. */
export function registerRemoteFeatures(deps: Deps): vscode.Disposable[] {
  const { connection, model, selection, log, context } = deps;
  const access = new WorkspaceAccess(connection, deps.ready);
  const deleted = new DeletedProjects(model, (gone) => {
    if (removeProjectFolder(gone.id)) void vscode.window.showInformationMessage(`The project "${gone.name}" was deleted; its folder was removed from the workspace.`);
    if (selection.projectId === gone.id) void selection.select(undefined);
  });
  const fs = new SlipwayFileSystem(access, log, (projectId) => deleted.nameOf(projectId));
  /** The tree item a command ran on, else the project of the files at hand or the selected one, else one picked. */
  const project = async (arg: unknown, title: string): Promise<Project> => {
    const implied = [projectInView(), selection.projectId].map((id) => id && model.find(id)).find(Boolean);
    const kind = (arg as ProjectsNode | undefined)?.kind;
    if (kind !== 'project' && kind !== 'database' && implied) return implied;
    const chosen = await projectFrom(arg, model, title);
    await selection.select(chosen.id);
    return chosen;
  };
  const errors = { log, explain: (e: unknown) => connection.explain(e) };
  const start = (p: Project) => connection.rest()('projects.start', { params: { projectId: p.id } }).then((updated) => model.apply(updated));
  return [
    vscode.workspace.registerFileSystemProvider(SLIPWAY_SCHEME, fs, { isCaseSensitive: true }),
    access,
    fs,
    deleted,
    registerCommand('slipway.openProject', async (arg?: unknown) => {
      const chosen = await project(arg, 'Open which project\'s files?');
      if (!(await ensureStarted(chosen, () => start(chosen)))) return;
      await selection.select(chosen.id);
      await openProjectFolder(chosen, context.globalStorageUri);
    }, errors),
    registerCommand('slipway.openPreview', async (arg?: unknown) => openPreview(connection, await project(arg, 'Preview which project?')), errors),
    ...registerTerminals({ connection, log, project, workspaceState: context.workspaceState }),
  ];
}
