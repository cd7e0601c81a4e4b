import * as vscode from 'vscode';
import { CONTEXT_LIMITS, MentionPath, type ChatAttachment, type Problem } from '../../protocol/chat-context';
import { projectIdOf, SLIPWAY_SCHEME, workspacePathOf } from '../remote-fs/workspace-uri';
import { ptyOf } from '../terminals/terminal-commands';
import { terminalTail } from './terminal-tail';

/**
 * What the editor knows that the agent cannot see: the selection, the Problems of the open files,
 * a Slipway terminal's last output; each capped as the protocol says (protocol/chat-context.ts).
 * Only the selected project's `slipway:` files count: a local file's path means nothing in the sandbox.
 */

/** The workspace path of a document of `projectId`, or undefined. */
export function projectPath(uri: vscode.Uri, projectId: string): string | undefined {
  if (uri.scheme !== SLIPWAY_SCHEME) return undefined;
  try {
    if (projectIdOf(uri.authority) !== projectId.toLowerCase()) return undefined;
  } catch {
    return undefined;
  }
  const path = workspacePathOf(uri.path);
  return MentionPath.safeParse(path).success ? path : undefined;
}

/** The editor to read a selection from (a sidebar view keeps the last one active). */
export const activeEditor = (): vscode.TextEditor | undefined => vscode.window.activeTextEditor ?? vscode.window.visibleTextEditors[0];

export function selectionAttachment(editor: vscode.TextEditor | undefined, projectId: string, range?: vscode.Range): ChatAttachment | undefined {
  if (!editor) return undefined;
  const path = projectPath(editor.document.uri, projectId);
  const span = range ?? editor.selection;
  if (!path || span.isEmpty) return undefined;
  const text = editor.document.getText(span).slice(0, CONTEXT_LIMITS.selectionChars);
  if (!text.trim()) return undefined;
  // A selection that ends at the start of a line (whole lines selected) does not include that line.
  const endLine = span.end.character === 0 && span.end.line > span.start.line ? span.end.line : span.end.line + 1;
  return { kind: 'selection', path, startLine: span.start.line + 1, endLine, language: editor.document.languageId.slice(0, 50), text };
}

const SEVERITY = ['error', 'warning', 'info', 'hint'] as const;

export function toProblem(path: string, d: vscode.Diagnostic): Problem {
  return {
    path, line: d.range.start.line + 1, column: d.range.start.character + 1, severity: SEVERITY[d.severity],
    message: d.message.slice(0, CONTEXT_LIMITS.problemChars) || '(no message)',
    ...(d.source && { source: d.source.slice(0, 100) }),
  };
}

/** The Problems of the project's open files, errors first, capped. */
export function problemsAttachment(projectId: string): ChatAttachment | undefined {
  const problems: Problem[] = [];
  for (const [uri, diagnostics] of vscode.languages.getDiagnostics()) {
    const path = projectPath(uri, projectId);
    if (path) problems.push(...diagnostics.map((d) => toProblem(path, d)));
  }
  problems.sort((a, b) => SEVERITY.indexOf(a.severity) - SEVERITY.indexOf(b.severity));
  return problems.length ? { kind: 'problems', problems: problems.slice(0, CONTEXT_LIMITS.problems) } : undefined;
}

/** The last output of the active (else the newest) Slipway terminal of the project, without escape codes. */
export function terminalAttachment(projectId: string): ChatAttachment | undefined {
  const terminals = [vscode.window.activeTerminal, ...[...vscode.window.terminals].reverse()];
  for (const terminal of terminals) {
    const pty = terminal && ptyOf(terminal);
    if (!pty || pty.projectId !== projectId) continue;
    const output = terminalTail(pty.session.recentOutput);
    if (output) return { kind: 'terminal', name: terminal.name.slice(0, 200), output };
  }
  return undefined;
}
