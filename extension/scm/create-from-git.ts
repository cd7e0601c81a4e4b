import * as vscode from 'vscode';
import { BranchName, RemoteUrl } from '../../protocol/daemon/git';
import type { Project } from '../../protocol/rest/projects';
import { ProjectName } from '../../protocol/rest/projects';
import { required } from '../commands';
import type { ServerConnection } from '../connection/server-connection';
import { pickTeam } from '../projects/pick';
import type { ProjectsModel } from '../projects/projects-model';

/** `Slipway: Create Project from Git Repository`: cloned in a new sandbox with your own credentials, progress shown. */
export async function createProjectFromGit(connection: ServerConnection, model: ProjectsModel, arg?: unknown): Promise<Project> {
  const rest = connection.rest();
  const url = required(await vscode.window.showInputBox({
    title: 'Create Project from Git Repository', prompt: 'HTTPS or SSH URL (your token or SSH key is used for private repositories)',
    placeHolder: 'https://github.com/owner/repo.git or git@github.com:owner/repo.git', ignoreFocusOut: true,
    validateInput: (v) => (RemoteUrl.safeParse(v).success ? undefined : 'An https://… or git@host:owner/repo URL'),
  })).trim();
  const branch = required(await vscode.window.showInputBox({
    title: 'Branch (optional)', prompt: 'Leave empty for the repository\'s default branch',
    validateInput: (v) => (!v.trim() || BranchName.safeParse(v.trim()).success ? undefined : 'Not a valid branch name'),
  })).trim();
  const team = await pickTeam(model, arg);
  const suggestion = url.replace(/\.git$/, '').split(/[/:]/).pop() || 'project';
  const name = required(await vscode.window.showInputBox({
    title: 'Name of the new project', value: suggestion.slice(0, 80),
    validateInput: (v) => (ProjectName.safeParse(v).success ? undefined : 'Between 1 and 80 characters'),
  })).trim();
  const created = await rest('projects.create', { body: { teamId: team.id, name, template: 'empty', start: true, git: { url, ...(branch && { branch }) } } });
  model.apply(created);
  return vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `Cloning ${suggestion}`, cancellable: false }, async (progress) => {
    const socket = connection.socket;
    return new Promise<Project>((resolve, reject) => {
      const timer = setTimeout(() => finish(() => reject(new Error('The clone is taking long; its progress shows in the Projects view.'))), 15 * 60_000);
      const off = socket?.on('project.updated', ({ project }) => {
        if (project.id !== created.id) return;
        if (project.statusMessage) progress.report({ message: project.statusMessage.replace(/^Cloning: /, '') });
        if (project.status === 'RUNNING') finish(() => resolve(project));
        if (project.status === 'ERROR') finish(() => reject(new Error(project.statusMessage ?? 'The clone failed.')));
      });
      const finish = (settle: () => void) => {
        clearTimeout(timer);
        off?.();
        settle();
      };
      if (!off) finish(() => resolve(created));
    });
  });
}
