import * as vscode from 'vscode';
import type { Project } from '../../protocol/rest/projects';
import { withProgress } from '../commands';
import type { ServerConnection } from '../connection/server-connection';
import { projectFrom } from './pick';
import type { ProjectsModel } from './projects-model';

interface Deps { connection: ServerConnection; model: ProjectsModel }

/** Start, stop, restart and delete only ask the server; the view follows the pushed changes. */
export async function startProject(deps: Deps, arg?: unknown): Promise<void> {
  const project = await projectFrom(arg, deps.model, 'Start which project?');
  const updated = await withProgress(`Starting "${project.name}"…`, () => deps.connection.rest()('projects.start', { params: { projectId: project.id } }));
  deps.model.apply(updated);
}

export async function stopProject(deps: Deps, arg?: unknown): Promise<void> {
  const project = await projectFrom(arg, deps.model, 'Stop which project?');
  const updated = await withProgress(`Stopping "${project.name}"…`, () => deps.connection.rest()('projects.stop', { params: { projectId: project.id } }));
  deps.model.apply(updated);
}

/** A stuck or degraded sandbox is stopped and started again; its workspace stays. */
export async function restartSandbox(deps: Deps, arg?: unknown): Promise<void> {
  const project = await projectFrom(arg, deps.model, 'Restart the sandbox of which project?');
  const updated = await withProgress(`Restarting the sandbox of "${project.name}"…`, () => deps.connection.rest()('projects.restart', { params: { projectId: project.id } }));
  deps.model.apply(updated);
}

export async function deleteProject(deps: Deps, arg?: unknown): Promise<Project | undefined> {
  const project = await projectFrom(arg, deps.model, 'Delete which project?');
  // The server says what goes (its database and all its data, when it has one).
  const { warning } = await deps.connection.rest()('projects.deletion', { params: { projectId: project.id } });
  const answer = await vscode.window.showWarningMessage(`Delete the project "${project.name}"?`, { modal: true, detail: warning }, 'Delete');
  if (answer !== 'Delete') return undefined;
  const updated = await withProgress(`Deleting "${project.name}"…`, () => deps.connection.rest()('projects.delete', { params: { projectId: project.id } }));
  deps.model.apply(updated);
  return updated;
}
