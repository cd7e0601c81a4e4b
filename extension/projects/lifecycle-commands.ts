import * as vscode from 'vscode';
import type { Project } from '../../protocol/rest/projects';
import { withProgress } from '../commands';
import type { ServerConnection } from '../connection/server-connection';
import { projectFrom } from './pick';
import type { ProjectsModel } from './projects-model';

interface Deps { connection: ServerConnection; model: ProjectsModel }

/** Start, stop and delete only ask the server for a state; the view follows the pushed changes. */
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

export async function deleteProject(deps: Deps, arg?: unknown): Promise<Project | undefined> {
  const project = await projectFrom(arg, deps.model, 'Delete which project?');
  const answer = await vscode.window.showWarningMessage(
    `Delete the project "${project.name}"?`,
    { modal: true, detail: 'Its sandbox, workspace files and environment variables are deleted on the server. This cannot be undone.' },
    'Delete',
  );
  if (answer !== 'Delete') return undefined;
  const updated = await withProgress(`Deleting "${project.name}"…`, () => deps.connection.rest()('projects.delete', { params: { projectId: project.id } }));
  deps.model.apply(updated);
  return updated;
}
