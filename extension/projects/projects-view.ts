import * as vscode from 'vscode';
import type { Project } from '../../protocol/rest/projects';
import { registerCommand } from '../commands';
import type { ServerConnection } from '../connection/server-connection';
import type { Logger } from '../log';
import { createProject, fromTemplate, importFolder, importZip } from './create-project';
import { addDatabase, copyConnectionString, dumpDatabase, removeDatabase, restoreDatabase } from './database-commands';
import { manageEnv } from './env-commands';
import { manageMcp } from './mcp-commands';
import { deleteProject, restartSandbox, startProject, stopProject } from './lifecycle-commands';
import { projectFrom } from './pick';
import { ProjectsModel } from './projects-model';
import { ProjectsSync } from './projects-sync';
import { ProjectsTree, type ProjectsNode } from './projects-tree';
import type { ProjectSelection } from './selection';

export const PROJECTS_VIEW_ID = 'slipway.projects';

/** The Projects view, its live data for whoever is signed in, and the project commands. */
export class ProjectsView implements vscode.Disposable {
  readonly model = new ProjectsModel();
  private readonly tree: ProjectsTree;
  private readonly view: vscode.TreeView<ProjectsNode>;
  private sync: ProjectsSync | undefined;
  private syncedToken: string | undefined;
  private readonly disposables: vscode.Disposable[] = [];

  constructor(private readonly connection: ServerConnection, private readonly selection: ProjectSelection, private readonly log: Logger) {
    this.tree = new ProjectsTree(this.model, () => connection.state.signedIn);
    this.view = vscode.window.createTreeView(PROJECTS_VIEW_ID, { treeDataProvider: this.tree, showCollapseAll: false });
    this.disposables.push(this.tree, this.view, connection.onDidChange(() => this.follow()));
    this.model.onChange(() => this.updateMessage());
    this.registerCommands();
    this.follow();
  }

  /** Starts or ends the live sync when the signed-in account changes. */
  private follow(): void {
    const session = this.connection.session;
    const socket = this.connection.socket;
    if (session?.token === this.syncedToken) return;
    this.sync?.dispose();
    this.sync = undefined;
    this.syncedToken = session?.token;
    this.model.clear();
    if (session && socket) {
      this.sync = new ProjectsSync(this.model, this.connection.rest(), socket, this.log, (e) => this.connection.explain(e));
    }
    this.tree.refresh();
  }

  private updateMessage(): void {
    const erroring = this.model.all().filter((p) => p.status === 'ERROR');
    this.view.message = erroring.length ? `${erroring.length} project(s) in error; hover for details.` : undefined;
  }

  private async reveal(project: Project): Promise<void> {
    this.model.apply(project);
    await this.selection.select(project.id);
    const node: ProjectsNode = { kind: 'project', project: this.model.find(project.id) ?? project };
    await this.view.reveal(node, { select: true, focus: false }).then(undefined, () => undefined);
  }

  private registerCommands(): void {
    const deps = { connection: this.connection, model: this.model, reveal: (p: Project) => this.reveal(p) };
    const errors = { log: this.log, explain: (e: unknown) => this.connection.explain(e) };
    const commands: [string, (arg?: unknown) => unknown][] = [
      ['slipway.createProject', (arg) => createProject(deps, arg)],
      ['slipway.createFromTemplate', (arg) => fromTemplate(deps, arg)],
      ['slipway.importFolder', (arg) => importFolder(deps, arg)],
      ['slipway.importZip', (arg) => importZip(deps, arg)],
      ['slipway.startProject', (arg) => startProject(deps, arg)],
      ['slipway.stopProject', (arg) => stopProject(deps, arg)],
      ['slipway.restartSandbox', (arg) => restartSandbox(deps, arg)],
      ['slipway.deleteProject', async (arg) => {
        const deleted = await deleteProject(deps, arg);
        if (deleted && this.selection.projectId === deleted.id) await this.selection.select(undefined);
      }],
      ['slipway.manageEnv', (arg) => manageEnv(deps, arg)],
      ['slipway.addDatabase', (arg) => addDatabase(deps, arg)],
      ['slipway.removeDatabase', (arg) => removeDatabase(deps, arg)],
      ['slipway.copyDatabaseUrl', (arg) => copyConnectionString(deps, arg)],
      ['slipway.dumpDatabase', (arg) => dumpDatabase(deps, arg)],
      ['slipway.restoreDatabase', (arg) => restoreDatabase(deps, arg)],
      ['slipway.manageMcp', (arg) => manageMcp(deps, arg)],
      ['slipway.selectProject', async (arg) => this.selection.select((await projectFrom(arg, this.model, 'Work on which project?')).id)],
      ['slipway.refreshProjects', () => this.sync?.refresh()],
    ];
    for (const [id, run] of commands) this.disposables.push(registerCommand(id, run, errors));
  }

  dispose(): void {
    this.sync?.dispose();
    for (const d of this.disposables) d.dispose();
  }
}
