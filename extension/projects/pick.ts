import * as vscode from 'vscode';
import type { Project } from '../../protocol/rest/projects';
import { required } from '../commands';
import { projectLook } from './project-presentation';
import type { ProjectsModel, Team } from './projects-model';
import type { ProjectsNode } from './projects-tree';

/** The project a command is about: the tree item it was run on, or one picked from a list. */
export async function projectFrom(arg: unknown, model: ProjectsModel, title: string): Promise<Project> {
  const node = arg as ProjectsNode | undefined;
  // A project's item, or its database's.
  if (node?.kind === 'project' || node?.kind === 'database') return model.find(node.project.id) ?? node.project;
  const projects = model.all();
  if (!projects.length) throw new Error('There are no projects yet. Create one with "Slipway: Create Project".');
  const picked = await vscode.window.showQuickPick(
    projects.map((project) => ({ label: project.name, description: projectLook(project).description, detail: project.slug, project })),
    { title, placeHolder: 'Pick a project', matchOnDetail: true },
  );
  return required(picked).project;
}

/** The team to create a project in: the one there is, or one picked. */
export async function pickTeam(model: ProjectsModel, arg?: unknown, title = 'Create the project in which team?'): Promise<Team> {
  const node = arg as ProjectsNode | undefined;
  if (node?.kind === 'team') return node.team;
  const teams = model.teams;
  if (!teams.length) throw new Error('No teams are loaded yet; check that you are signed in and connected.');
  if (teams.length === 1) return teams[0]!;
  const picked = await vscode.window.showQuickPick(teams.map((team) => ({ label: team.name, description: team.role, team })), {
    title,
  });
  return required(picked).team;
}
