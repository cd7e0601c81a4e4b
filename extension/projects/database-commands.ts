import * as vscode from 'vscode';
import { DumpPath } from '../../protocol/rest/database';
import { required, withProgress } from '../commands';
import type { ServerConnection } from '../connection/server-connection';
import { projectFrom } from './pick';
import type { ProjectsModel } from './projects-model';

interface Deps { connection: ServerConnection; model: ProjectsModel }

const DEFAULT_DUMP = 'db/dump.pgdump';

/** `Slipway: Add Database`: a PostgreSQL database beside the project's sandbox. */
export async function addDatabase(deps: Deps, arg?: unknown): Promise<void> {
  const project = await projectFrom(arg, deps.model, 'Add a PostgreSQL database to which project?');
  await withProgress(`Adding a database to "${project.name}"…`, () => deps.connection.rest()('database.put', { params: { projectId: project.id } }));
  void vscode.window.showInformationMessage(`"${project.name}" gets a PostgreSQL database: new processes in its sandbox see DATABASE_URL once it runs.`);
}

/** `Slipway: Remove Database`: asks first, saying the data goes. */
export async function removeDatabase(deps: Deps, arg?: unknown): Promise<boolean> {
  const project = await projectFrom(arg, deps.model, 'Remove the database of which project?');
  const answer = await vscode.window.showWarningMessage(
    `Remove the PostgreSQL database of "${project.name}"?`,
    { modal: true, detail: 'Its data — every table and row — is deleted on the server. This cannot be undone. Dump it to the workspace first to keep a copy.' },
    'Remove Database',
  );
  if (answer !== 'Remove Database') return false;
  await withProgress(`Removing the database of "${project.name}"…`, () => deps.connection.rest()('database.delete', { params: { projectId: project.id } }));
  return true;
}

/** `Slipway: Copy Connection String`: fetched only now (the server records who asked). */
export async function copyConnectionString(deps: Deps, arg?: unknown): Promise<void> {
  const project = await projectFrom(arg, deps.model, 'Copy the connection string of which project\'s database?');
  const connection = await deps.connection.rest()('database.connection', { params: { projectId: project.id } });
  await vscode.env.clipboard.writeText(connection.url);
  void vscode.window.showInformationMessage(`Copied the connection string of "${project.name}" (it holds the password). It works inside the sandbox, where the database listens.`);
}

/** `Slipway: Dump Database to Workspace`: pg_dump runs in the sandbox into a workspace file. */
export async function dumpDatabase(deps: Deps, arg?: unknown): Promise<void> {
  const project = await projectFrom(arg, deps.model, 'Dump the database of which project?');
  const path = await askPath('Dump the database into which workspace file?', DEFAULT_DUMP);
  const result = await withProgress(`Dumping the database of "${project.name}" to ${path}…`, () =>
    deps.connection.rest()('database.dump', { params: { projectId: project.id }, body: { path } }));
  void vscode.window.showInformationMessage(`Dumped the database of "${project.name}" to ${result.path} (${formatBytes(result.bytes)}).`);
}

/** `Slipway: Restore Database from Dump`: pg_restore runs in the sandbox; asks first (it replaces what the dump holds). */
export async function restoreDatabase(deps: Deps, arg?: unknown): Promise<void> {
  const project = await projectFrom(arg, deps.model, 'Restore the database of which project?');
  const path = await askPath('Restore from which dump in the workspace?', DEFAULT_DUMP);
  const answer = await vscode.window.showWarningMessage(
    `Restore the database of "${project.name}" from ${path}?`,
    { modal: true, detail: 'Tables and data that the dump holds are dropped and replaced by the dump\'s.' },
    'Restore',
  );
  if (answer !== 'Restore') return;
  const result = await withProgress(`Restoring the database of "${project.name}" from ${path}…`, () =>
    deps.connection.rest()('database.restore', { params: { projectId: project.id }, body: { path, clean: true } }));
  void vscode.window.showInformationMessage(`Restored the database of "${project.name}" from ${path}.${result.warnings ? ` pg_restore said: ${result.warnings.slice(0, 300)}` : ''}`);
}

async function askPath(title: string, value: string): Promise<string> {
  return required(await vscode.window.showInputBox({
    title, value,
    validateInput: (input) => (DumpPath.safeParse(input).success ? undefined : 'A path inside the workspace, e.g. db/dump.pgdump'),
  }));
}

const formatBytes = (bytes: number): string => (bytes < 1024 ? `${bytes} B` : bytes < 1024 ** 2 ? `${(bytes / 1024).toFixed(1)} KB` : `${(bytes / 1024 ** 2).toFixed(1)} MB`);
