import * as vscode from 'vscode';
import { ClientError } from '../../protocol/client/client-error';
import { registerCommand, required } from '../commands';
import type { Logger } from '../log';
import { gitUri } from './git-content';
import type { GitSocket } from './git-socket';
import type { GitResource, ProjectSourceControl } from './project-source-control';

interface Deps {
  git: GitSocket;
  log: Logger;
  explain(error: unknown): string;
  /** The provider a command ran on: its SourceControl, group or resources, else the only/first one. */
  providerOf(arg: unknown): ProjectSourceControl;
}

const isResource = (value: unknown): value is GitResource => typeof value === 'object' && value !== null && 'change' in value && 'projectId' in value;
const resourcesOf = (args: unknown[]): GitResource[] => args.flat().filter(isResource);

/** Source Control actions: stage/unstage/discard, commit, open change, branches, pull/push/sync. */
export function registerScmCommands(deps: Deps): vscode.Disposable[] {
  const { git } = deps;
  const errors = { log: deps.log, explain: deps.explain };
  const after = async (p: ProjectSourceControl, work: PromiseLike<unknown>) => {
    try {
      await work;
    } finally {
      await p.refresh();
    }
  };
  const onPaths = (method: 'git.stage' | 'git.unstage' | 'git.discard') => async (...args: unknown[]) => {
    const resources = resourcesOf(args);
    const p = deps.providerOf(resources[0] ?? args[0]);
    const paths = resources.filter((r) => r.projectId === p.projectId).map((r) => r.change.path);
    if (!paths.length) return;
    if (method === 'git.discard') await confirmDiscard(paths.length === 1 ? `the changes in ${paths[0]}` : `the changes in ${paths.length} files`);
    await after(p, git.request(method, { projectId: p.projectId, paths }));
  };
  const onAll = (method: 'git.stage' | 'git.unstage' | 'git.discard') => async (arg?: unknown) => {
    const p = deps.providerOf(arg);
    if (method === 'git.discard') await confirmDiscard('all changes, untracked files included');
    await after(p, git.request(method, { projectId: p.projectId, all: true }));
  };
  const commit = (amend: boolean) => async (arg?: unknown) => {
    const p = deps.providerOf(arg);
    const message = p.scm.inputBox.value;
    if (!message.trim() && !amend) throw new Error('Type a commit message first.');
    // Nothing staged: commit every tracked change, as VS Code's smart commit does.
    const status = await git.request('git.status', { projectId: p.projectId });
    const staged = status.repository && status.changes.some((c) => !['.', '?', '!'].includes(c.index));
    await after(p, git.request('git.commit', { projectId: p.projectId, message, amend, all: !staged && !amend }));
    p.scm.inputBox.value = '';
  };
  const transfer = (method: 'git.pull' | 'git.push' | 'git.fetch', title: string) => async (arg?: unknown) => {
    const p = deps.providerOf(arg);
    await after(p, runTransfer(git, p.projectId, method, title));
  };

  const commands: [string, (...args: never[]) => unknown][] = [
    ['slipway.git.refresh', (arg?: unknown) => deps.providerOf(arg).refresh()],
    ['slipway.git.stage', onPaths('git.stage')],
    ['slipway.git.unstage', onPaths('git.unstage')],
    ['slipway.git.discard', onPaths('git.discard')],
    ['slipway.git.stageAll', onAll('git.stage')],
    ['slipway.git.unstageAll', onAll('git.unstage')],
    ['slipway.git.discardAll', onAll('git.discard')],
    ['slipway.git.commit', commit(false)],
    ['slipway.git.commitAmend', commit(true)],
    ['slipway.git.openChange', (arg?: unknown) => openChange(deps.providerOf(arg), arg as GitResource)],
    ['slipway.git.openFile', (arg?: unknown) => vscode.commands.executeCommand('vscode.open', (arg as GitResource).resourceUri)],
    ['slipway.git.checkout', (arg?: unknown) => checkout(git, deps.providerOf(arg))],
    ['slipway.git.createBranch', async (arg?: unknown) => {
      const p = deps.providerOf(arg);
      await after(p, createBranch(git, p.projectId));
    }],
    ['slipway.git.pull', transfer('git.pull', 'Pulling')],
    ['slipway.git.push', transfer('git.push', 'Pushing')],
    ['slipway.git.fetch', transfer('git.fetch', 'Fetching')],
    ['slipway.git.sync', async (arg?: unknown) => {
      const p = deps.providerOf(arg);
      await after(p, runTransfer(git, p.projectId, 'git.pull', 'Pulling').then(() => runTransfer(git, p.projectId, 'git.push', 'Pushing')));
    }],
  ];
  // An authentication failure offers its two remedies instead of the plain error.
  return commands.map(([id, run]) => registerCommand(id, async (...args: never[]) => {
    try {
      return await run(...args);
    } catch (error) {
      if (!(ClientError.is(error) && error.reason === 'git_auth_failed')) throw error;
      const choice = await vscode.window.showErrorMessage(error.message, 'Set Git Token', 'Show SSH Public Key');
      if (choice) await vscode.commands.executeCommand(choice === 'Set Git Token' ? 'slipway.git.setToken' : 'slipway.git.showSshKey');
      return undefined;
    }
  }, errors));
}

async function confirmDiscard(what: string): Promise<void> {
  const answer = await vscode.window.showWarningMessage(`Discard ${what}? This cannot be undone.`, { modal: true }, 'Discard');
  if (answer !== 'Discard') throw new vscode.CancellationError();
}

/** A diff editor: index against the working file (Changes), HEAD against the index (Staged). */
async function openChange(p: ProjectSourceControl, resource: GitResource): Promise<void> {
  const { change, resourceUri } = resource;
  const name = change.path.split('/').pop() ?? change.path;
  if (resource.group === 'changes' && change.worktree === '?') return void vscode.commands.executeCommand('vscode.open', resourceUri);
  if (resource.group === 'staged') {
    const before = change.origPath ? p.fileUri(change.origPath) : resourceUri;
    return void vscode.commands.executeCommand('vscode.diff', gitUri(before, 'HEAD'), gitUri(resourceUri, 'index'), `${name} (Index)`);
  }
  if (change.worktree === 'D') return void vscode.commands.executeCommand('vscode.open', gitUri(resourceUri, 'index'));
  await vscode.commands.executeCommand('vscode.diff', gitUri(resourceUri, 'index'), resourceUri, `${name} (Working Tree)`);
}

async function checkout(git: GitSocket, p: ProjectSourceControl): Promise<void> {
  const { branches } = await git.request('git.branches', { projectId: p.projectId });
  type Item = vscode.QuickPickItem & { run: () => Promise<unknown> };
  const locals = new Set(branches.filter((b) => !b.remote).map((b) => b.name));
  const items: Item[] = [
    { label: '$(plus) Create new branch…', run: () => createBranch(git, p.projectId) },
    ...branches.filter((b) => !b.remote).map((b): Item => ({
      label: `${b.current ? '$(check)' : '$(git-branch)'} ${b.name}`, description: b.oid.slice(0, 8),
      run: () => git.request('git.switch', { projectId: p.projectId, branch: b.name, create: false }),
    })),
    ...branches.filter((b) => b.remote && !locals.has(b.name.replace(/^[^/]+\//, ''))).map((b): Item => ({
      label: `$(cloud) ${b.name}`, description: `remote · ${b.oid.slice(0, 8)}`,
      run: () => git.request('git.switch', { projectId: p.projectId, branch: b.name.replace(/^[^/]+\//, ''), create: true, startPoint: b.name }),
    })),
  ];
  const picked = required(await vscode.window.showQuickPick(items, { title: 'Switch to which branch?', matchOnDescription: true }));
  try {
    await picked.run();
  } finally {
    await p.refresh();
  }
}

async function createBranch(git: GitSocket, projectId: string): Promise<void> {
  const name = required(await vscode.window.showInputBox({
    title: 'New branch name', prompt: 'Created from the current commit and switched to',
    validateInput: (v) => (/^[^-\s~^:?*[\\][^\s~^:?*[\\]*$/.test(v) ? undefined : 'Not a valid branch name'),
  }));
  await git.request('git.switch', { projectId, branch: name.trim(), create: true });
}

/** A pull/push/fetch with git's own progress in a notification. */
export function runTransfer(git: GitSocket, projectId: string, method: 'git.pull' | 'git.push' | 'git.fetch', title: string): Promise<unknown> {
  const progressId = `p${Date.now().toString(36)}${Math.random().toString(36).slice(2, 8)}`;
  return Promise.resolve(vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `${title}…` }, async (progress) => {
    let last = 0;
    const listening = git.on('git.progress', (event) => {
      if (event.progressId !== progressId) return;
      const increment = event.percent !== null && event.percent > last ? event.percent - last : undefined;
      if (event.percent !== null) last = event.percent;
      progress.report({ message: event.text, increment });
    });
    try {
      return await git.request(method, { projectId, progressId });
    } finally {
      listening.dispose();
    }
  }));
}
