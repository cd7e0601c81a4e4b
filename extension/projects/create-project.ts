import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import * as vscode from 'vscode';
import { ProjectName } from '../../protocol/rest/projects';
import type { Project } from '../../protocol/rest/projects';
import { required, withProgress } from '../commands';
import type { ServerConnection } from '../connection/server-connection';
import { pickTeam } from './pick';
import type { ProjectsModel } from './projects-model';
import { zipFolder } from './zip-folder';

export interface CreateDeps {
  connection: ServerConnection;
  model: ProjectsModel;
  /** Shows the new project (selects it in the view). */
  reveal(project: Project): Promise<void>;
}

type Source = 'template' | 'folder' | 'zip' | 'git';

/** `Slipway: Create Project`: from a template, the open folder, or a .zip file. */
export async function createProject(deps: CreateDeps, arg?: unknown): Promise<void> {
  const picked = await vscode.window.showQuickPick<vscode.QuickPickItem & { source: Source }>([
    { label: '$(file-code) From a template', detail: 'Start from one of the server\'s templates', source: 'template' },
    { label: '$(folder) Import the open folder', detail: 'Upload this workspace folder as a new project', source: 'folder' },
    { label: '$(file-zip) Import a .zip file', detail: 'Upload an archive as a new project', source: 'zip' },
    { label: '$(repo-clone) Clone a Git repository', detail: 'HTTPS or SSH, cloned in the sandbox with your own credentials', source: 'git' },
  ], { title: 'Create a Slipway project' });
  const source = required(picked).source;
  if (source === 'template') return fromTemplate(deps, arg);
  if (source === 'git') return void (await vscode.commands.executeCommand('slipway.createProjectFromGit', arg));
  if (source === 'folder') return importFolder(deps, arg);
  return importZip(deps, arg);
}

export async function fromTemplate(deps: CreateDeps, arg?: unknown): Promise<void> {
  const rest = deps.connection.rest();
  const team = await pickTeam(deps.model, arg);
  const { items } = await withProgress('Loading templates…', () => rest('templates.list', {}));
  const template = required(await vscode.window.showQuickPick(
    items.map((t) => ({ label: `${t.database ? '$(database) ' : ''}${t.title}`, description: t.database ? `${t.name} · with PostgreSQL` : t.name, detail: t.description, template: t })),
    { title: 'Create a project from which template?', matchOnDescription: true },
  )).template;
  const name = await askName(template.title);
  const project = await withProgress(`Creating project "${name}"…`, () =>
    rest('projects.create', { body: { teamId: team.id, name, template: template.name } }));
  await deps.reveal(project);
}

export async function importFolder(deps: CreateDeps, arg?: unknown): Promise<void> {
  const rest = deps.connection.rest();
  const folder = await pickLocalFolder();
  const team = await pickTeam(deps.model, arg);
  const name = await askName(basename(folder.fsPath));
  const project = await withProgress(`Importing ${basename(folder.fsPath)} as "${name}"…`, async () => {
    const { bytes } = await zipFolder(folder.fsPath);
    return rest('projects.import', { query: { teamId: team.id, name }, body: bytes });
  });
  await deps.reveal(project);
}

export async function importZip(deps: CreateDeps, arg?: unknown): Promise<void> {
  const rest = deps.connection.rest();
  const [file] = required(await vscode.window.showOpenDialog({
    title: 'Import a .zip file as a Slipway project', canSelectMany: false, filters: { 'ZIP archives': ['zip'] }, openLabel: 'Import',
  }));
  if (!file) throw new vscode.CancellationError();
  const team = await pickTeam(deps.model, arg);
  const name = await askName(basename(file.fsPath).replace(/\.zip$/i, ''));
  const project = await withProgress(`Importing ${basename(file.fsPath)} as "${name}"…`, async () => {
    const bytes = new Uint8Array(await readFile(file.fsPath));
    return rest('projects.import', { query: { teamId: team.id, name }, body: bytes });
  });
  await deps.reveal(project);
}

async function askName(suggestion: string): Promise<string> {
  const name = await vscode.window.showInputBox({
    title: 'Name of the new project',
    value: suggestion.slice(0, 80),
    validateInput: (value) => (ProjectName.safeParse(value).success ? undefined : 'Between 1 and 80 characters'),
  });
  return required(name).trim();
}

async function pickLocalFolder(): Promise<vscode.Uri> {
  const folders = (vscode.workspace.workspaceFolders ?? []).filter((f) => f.uri.scheme === 'file');
  if (folders.length === 1) return folders[0]!.uri;
  if (folders.length > 1) {
    const picked = await vscode.window.showQuickPick(folders.map((f) => ({ label: f.name, detail: f.uri.fsPath, folder: f })), { title: 'Import which folder?' });
    return required(picked).folder.uri;
  }
  const [folder] = required(await vscode.window.showOpenDialog({ title: 'Import which folder?', canSelectFolders: true, canSelectFiles: false, openLabel: 'Import' }));
  if (!folder) throw new vscode.CancellationError();
  return folder;
}
