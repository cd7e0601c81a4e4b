import * as vscode from 'vscode';
import type { ChatAttachment } from '../../protocol/chat-context';
import { registerCommand } from '../commands';
import type { Logger } from '../log';
import { SLIPWAY_SCHEME } from '../remote-fs/workspace-uri';
import type { ChatViewProvider } from './chat-view';
import { activeEditor, projectPath, selectionAttachment, toProblem } from './editor-context';

/** Lines of code around a problem sent with it, above and below. */
const AROUND = 5;

interface Deps { view: ChatViewProvider; selectedProject(): string | undefined; log: Logger; explain(e: unknown): string }

/**
 * "Ask Slipway about this" puts the selection into the chat input for the user's question; "Fix this
 * with Slipway" sends the selection, or a problem with the lines around it, at once. Both from the
 * editor's context menu, and from the light bulb (code actions) in the project's `slipway:` files.
 */
export function registerEditorActions(deps: Deps): vscode.Disposable[] {
  const errors = { log: deps.log, explain: deps.explain };
  const project = (uri: vscode.Uri): string => {
    const id = deps.selectedProject();
    if (!id || !projectPath(uri, id)) throw new Error('This file is not in the project the Slipway chat works on. Pick its project first.');
    return id;
  };
  const editorFor = (uri: vscode.Uri | undefined) => vscode.window.visibleTextEditors.find((e) => e.document.uri.toString() === uri?.toString()) ?? activeEditor();

  return [
    registerCommand('slipway.askAboutSelection', async (uri?: vscode.Uri, range?: vscode.Range) => {
      const editor = editorFor(uri);
      if (!editor) throw new Error('Select some code in a project file first.');
      const selection = selectionAttachment(editor, project(editor.document.uri), range);
      if (!selection) throw new Error('Select some code in a project file first.');
      await deps.view.attach([selection], '', false);
    }, errors),
    registerCommand('slipway.fixWithSlipway', async (uri?: vscode.Uri, diagnostic?: vscode.Diagnostic) => {
      const editor = editorFor(uri);
      if (!editor) throw new Error('Open a project file first.');
      const projectId = project(editor.document.uri);
      const path = projectPath(editor.document.uri, projectId)!;
      const span = diagnostic ? around(editor.document, diagnostic.range) : editor.selection;
      const problems = (diagnostic ? [diagnostic] : vscode.languages.getDiagnostics(editor.document.uri).filter((d) => d.range.intersection(span)))
        .slice(0, 100).map((d) => toProblem(path, d));
      const attachments: ChatAttachment[] = [];
      const code = selectionAttachment(editor, projectId, span);
      if (code) attachments.push(code);
      if (problems.length) attachments.push({ kind: 'problems', problems });
      if (!attachments.length) throw new Error('Select the code to fix, or use this on a problem.');
      await deps.view.attach(attachments, diagnostic ? `Fix this problem: ${diagnostic.message.slice(0, 500)}` : 'Fix this code.', true);
    }, errors),
    vscode.languages.registerCodeActionsProvider({ scheme: SLIPWAY_SCHEME }, new SlipwayCodeActions(), {
      providedCodeActionKinds: [vscode.CodeActionKind.QuickFix, vscode.CodeActionKind.Empty],
    }),
  ];
}

function around(document: vscode.TextDocument, range: vscode.Range): vscode.Range {
  const start = Math.max(0, range.start.line - AROUND);
  const end = Math.min(document.lineCount - 1, range.end.line + AROUND);
  return new vscode.Range(start, 0, end, document.lineAt(end).text.length);
}

class SlipwayCodeActions implements vscode.CodeActionProvider {
  provideCodeActions(document: vscode.TextDocument, range: vscode.Range | vscode.Selection, context: vscode.CodeActionContext): vscode.CodeAction[] {
    const actions = context.diagnostics.slice(0, 5).map((diagnostic) => {
      const action = new vscode.CodeAction(`Fix this with Slipway: ${diagnostic.message.slice(0, 60)}`, vscode.CodeActionKind.QuickFix);
      action.command = { command: 'slipway.fixWithSlipway', title: 'Fix this with Slipway', arguments: [document.uri, diagnostic] };
      action.diagnostics = [diagnostic];
      return action;
    });
    if (!range.isEmpty) {
      const ask = new vscode.CodeAction('Ask Slipway about this', vscode.CodeActionKind.Empty);
      ask.command = { command: 'slipway.askAboutSelection', title: 'Ask Slipway about this', arguments: [document.uri, range] };
      actions.push(ask);
    }
    return actions;
  }
}
