import * as vscode from 'vscode';
import type { Checkpoint } from '../../protocol/chat';
import { registerCommand, required, withProgress } from '../commands';
import type { ServerConnection } from '../connection/server-connection';
import { whenOpen } from '../connection/when-open';
import type { Logger } from '../log';
import { projectFrom } from '../projects/pick';
import type { ProjectsModel } from '../projects/projects-model';
import type { ProjectSelection } from '../projects/selection';
import { CheckpointDiffDocs } from './checkpoint-diff-docs';
import { checkpointItems, diffDocument, restoreChoices, restoreQuestion, type CheckpointItem } from './checkpoint-items';

interface Deps {
  connection: ServerConnection;
  model: ProjectsModel;
  selection: ProjectSelection;
  /** The chat open in the chat view, if any: its checkpoints are the ones listed. */
  openChatId(): string | null;
  log: Logger;
}

const DIFF_BUTTON: vscode.QuickInputButton = { iconPath: new vscode.ThemeIcon('diff'), tooltip: 'Show changes since this checkpoint' };

/** "Slipway: Restore Checkpoint": pick a checkpoint of the project (or open chat), see its diff, restore it. */
export function registerRestoreCommand(deps: Deps): vscode.Disposable[] {
  const { connection, model, selection } = deps;
  const docs = new CheckpointDiffDocs();
  const socket = async () => {
    const s = connection.socket;
    if (!s) throw new Error('Sign in to a Slipway server first (run "Slipway: Sign In").');
    await whenOpen(s);
    return s;
  };
  const showDiff = async (checkpoint: Checkpoint) => {
    const diff = await withProgress('Comparing with the checkpoint…', async () => (await socket()).request('checkpoints.diff', { checkpointId: checkpoint.id }));
    await docs.show(`checkpoint-${checkpoint.commit.slice(0, 7)}`, diffDocument(checkpoint, diff));
  };
  const explain = (e: unknown) => connection.explain(e);
  const command = registerCommand('slipway.restoreCheckpoint', async () => {
    const project = (selection.projectId && model.find(selection.projectId)) || (await projectFrom(undefined, model, 'Restore a checkpoint of which project?'));
    const { checkpoints } = await withProgress(`Loading checkpoints of "${project.name}"…`, async () => (await socket()).request('checkpoints.list', { projectId: project.id }));
    const items = checkpointItems(checkpoints, selection.projectId === project.id ? deps.openChatId() : null);
    if (!items.length) return void vscode.window.showInformationMessage(`"${project.name}" has no checkpoints yet: the agent makes one after each change.`);
    const checkpoint = required(await pickCheckpoint(items, project.name, (c) => showDiff(c).catch((e: unknown) => void vscode.window.showErrorMessage(explain(e)))));
    const actions = [...restoreChoices(checkpoint), { label: '$(diff) Show changes since this checkpoint', detail: 'Opens the diff in a read-only editor.', conversation: false, diff: true }];
    const action = required(await vscode.window.showQuickPick(actions, { title: 'Restore what?' }));
    if ('diff' in action) return showDiff(checkpoint);
    const answer = await vscode.window.showWarningMessage(restoreQuestion(checkpoint, action.conversation), { modal: true }, 'Restore');
    if (answer !== 'Restore') return;
    await withProgress('Restoring the checkpoint…', async () => (await socket()).request('checkpoints.restore', { checkpointId: checkpoint.id, conversation: action.conversation }));
    void vscode.window.showInformationMessage(`Restored "${project.name}" to the checkpoint${action.conversation ? ', files and conversation' : ''}.`);
  }, { log: deps.log, explain });
  return [docs, command];
}

/** A quick pick of checkpoints whose items have a "show diff" button. */
function pickCheckpoint(items: CheckpointItem[], projectName: string, diff: (c: Checkpoint) => void): Promise<Checkpoint | undefined> {
  const pick = vscode.window.createQuickPick<CheckpointItem & vscode.QuickPickItem>();
  pick.title = `Checkpoints of "${projectName}"`;
  pick.placeholder = 'Pick the checkpoint to restore';
  pick.matchOnDescription = true;
  pick.matchOnDetail = true;
  pick.ignoreFocusOut = true;
  pick.items = items.map((item) => ({ ...item, buttons: [DIFF_BUTTON] }));
  return new Promise((resolve) => {
    let chosen: Checkpoint | undefined;
    pick.onDidTriggerItemButton((e) => diff(e.item.checkpoint));
    pick.onDidAccept(() => {
      chosen = pick.selectedItems[0]?.checkpoint;
      pick.hide();
    });
    pick.onDidHide(() => {
      pick.dispose();
      resolve(chosen);
    });
    pick.show();
  });
}
