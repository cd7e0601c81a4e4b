import * as vscode from 'vscode';
import { registerCommand } from '../commands';
import type { ServerConnection } from '../connection/server-connection';
import type { Logger } from '../log';
import type { ProjectsModel } from '../projects/projects-model';
import { SLIPWAY_SCHEME, projectIdOf } from '../remote-fs/workspace-uri';
import { openProjectFolder } from '../remote-fs/open-project';
import { createProjectFromGit } from './create-from-git';
import { registerCredentialCommands } from './credential-commands';
import { GitContent } from './git-content';
import { GitDecorations } from './git-decorations';
import { GitSocket } from './git-socket';
import { ProjectSourceControl } from './project-source-control';
import { registerScmCommands } from './scm-commands';

/** Source Control for every open `slipway:` folder, backed by git in the project's sandbox. */
export function registerSourceControl(deps: { connection: ServerConnection; model: ProjectsModel; log: Logger }): vscode.Disposable[] {
  const { connection, log } = deps;
  const git = new GitSocket(connection);
  const content = new GitContent(git);
  const decorations = new GitDecorations();
  const providers = new Map<string, ProjectSourceControl>();
  const sync = () => {
    const open = new Map((vscode.workspace.workspaceFolders ?? []).filter((f) => f.uri.scheme === SLIPWAY_SCHEME).map((f) => [f.uri.toString(), f.uri]));
    for (const [key, provider] of providers) if (!open.has(key)) (provider.dispose(), providers.delete(key));
    for (const [key, uri] of open) {
      if (providers.has(key)) continue;
      try {
        providers.set(key, new ProjectSourceControl(projectIdOf(uri.authority), uri, git, content, decorations, (m) => log.warn(m)));
      } catch (error) {
        log.warn(`no Source Control for ${key}: ${(error as Error).message}`);
      }
    }
  };
  const providerOf = (arg: unknown): ProjectSourceControl => {
    const all = [...providers.values()];
    const projectId = (arg as { projectId?: string } | undefined)?.projectId;
    const found = all.find((p) => p.scm === arg || p.projectId === projectId || (arg as { id?: string } | undefined)?.id === p.scm.id)
      ?? all.find((p) => vscode.window.activeTextEditor?.document.uri.authority === p.projectId) ?? all[0];
    if (!found) throw new Error('Open a Slipway project\'s files first (Slipway: Open Project).');
    return found;
  };
  sync();
  const explain = (e: unknown) => connection.explain(e);
  return [
    content,
    decorations,
    { dispose: () => { for (const p of providers.values()) p.dispose(); providers.clear(); } },
    vscode.workspace.onDidChangeWorkspaceFolders(sync),
    connection.onDidChange(() => { for (const p of providers.values()) p.schedule(); }),
    ...registerScmCommands({ git, log, explain, providerOf }),
    ...registerCredentialCommands(connection, log),
    registerCommand('slipway.createProjectFromGit', async (arg?: unknown) => {
      const project = await createProjectFromGit(connection, deps.model, arg);
      const open = await vscode.window.showInformationMessage(`Cloned into project "${project.name}".`, 'Open Project');
      if (open) await openProjectFolder(project);
    }, { log, explain }),
  ];
}
