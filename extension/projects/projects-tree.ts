import * as vscode from 'vscode';
import type { Project } from '../../protocol/rest/projects';
import { databaseLook } from './database-presentation';
import { projectLook } from './project-presentation';
import type { ProjectsModel, Team } from './projects-model';

export type ProjectsNode =
  | { kind: 'team'; team: Team }
  | { kind: 'project'; project: Project }
  | { kind: 'database'; project: Project }
  | { kind: 'note'; text: string; icon: string };

/** Teams → projects, with each project's live status → its database, when it has one. */
export class ProjectsTree implements vscode.TreeDataProvider<ProjectsNode>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<ProjectsNode | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private readonly off: () => void;

  constructor(private readonly model: ProjectsModel, private readonly signedIn: () => boolean) {
    this.off = model.onChange(() => this.changed.fire(undefined));
  }

  refresh(): void {
    this.changed.fire(undefined);
  }

  getChildren(node?: ProjectsNode): ProjectsNode[] {
    if (!node) {
      // Signed out: the view's welcome content (package.json viewsWelcome) shows instead.
      if (!this.signedIn()) return [];
      if (this.model.problem) return [{ kind: 'note', text: this.model.problem, icon: 'warning' }];
      if (!this.model.teams.length) return [{ kind: 'note', text: 'Loading…', icon: 'loading~spin' }];
      return this.model.teams.map((team) => ({ kind: 'team', team }));
    }
    if (node.kind === 'project') return node.project.database ? [{ kind: 'database', project: node.project }] : [];
    if (node.kind !== 'team') return [];
    const projects = this.model.projects(node.team.id);
    if (!projects) return [{ kind: 'note', text: 'Loading…', icon: 'loading~spin' }];
    if (!projects.length) return [{ kind: 'note', text: 'No projects yet', icon: 'info' }];
    return projects.map((project) => ({ kind: 'project', project }));
  }

  getTreeItem(node: ProjectsNode): vscode.TreeItem {
    if (node.kind === 'note') {
      const item = new vscode.TreeItem(node.text);
      item.iconPath = new vscode.ThemeIcon(node.icon);
      item.tooltip = node.text;
      return item;
    }
    if (node.kind === 'team') {
      const item = new vscode.TreeItem(node.team.name, vscode.TreeItemCollapsibleState.Expanded);
      item.id = `team:${node.team.id}`;
      item.description = node.team.role;
      item.iconPath = new vscode.ThemeIcon('organization');
      item.contextValue = 'team';
      return item;
    }
    if (node.kind === 'database') return databaseItem(node.project);
    const look = projectLook(node.project);
    const item = new vscode.TreeItem(node.project.name, node.project.database ? vscode.TreeItemCollapsibleState.Expanded : vscode.TreeItemCollapsibleState.None);
    item.id = `project:${node.project.id}`;
    item.description = look.description;
    item.tooltip = look.tooltip;
    item.contextValue = look.contextValue;
    item.iconPath = new vscode.ThemeIcon(look.icon, look.color ? new vscode.ThemeColor(look.color) : undefined);
    item.command = { command: 'slipway.selectProject', title: 'Select Project', arguments: [node] };
    return item;
  }

  /** For `TreeView.reveal`. */
  getParent(node: ProjectsNode): ProjectsNode | undefined {
    if (node.kind === 'database') return { kind: 'project', project: node.project };
    if (node.kind !== 'project') return undefined;
    const team = this.model.teams.find((t) => t.id === node.project.teamId);
    return team && { kind: 'team', team };
  }

  dispose(): void {
    this.off();
    this.changed.dispose();
  }
}

function databaseItem(project: Project): vscode.TreeItem {
  const look = databaseLook(project)!;
  const item = new vscode.TreeItem(look.label);
  item.id = `database:${project.id}`;
  item.description = look.description;
  item.tooltip = look.tooltip;
  item.contextValue = look.contextValue;
  item.iconPath = new vscode.ThemeIcon(look.icon, look.color ? new vscode.ThemeColor(look.color) : undefined);
  return item;
}
