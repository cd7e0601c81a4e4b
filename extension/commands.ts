import * as vscode from 'vscode';
import type { Logger } from './log';

/**
 * Registers a command whose failures become one clear error message (cancelling is not a failure).
 * `explain` turns an error into the sentence shown to the user.
 */
export function registerCommand(
  id: string,
  run: (...args: never[]) => unknown,
  deps: { log: Logger; explain: (error: unknown) => string },
): vscode.Disposable {
  return vscode.commands.registerCommand(id, async (...args: unknown[]) => {
    try {
      return await (run as (...a: unknown[]) => unknown)(...args);
    } catch (error) {
      if (error instanceof vscode.CancellationError) return undefined;
      const message = deps.explain(error);
      deps.log.error(`${id} failed: ${message}`);
      void vscode.window.showErrorMessage(message);
      return undefined;
    }
  });
}

/** A notification with a spinner while `task` runs. */
export function withProgress<T>(title: string, task: () => Promise<T>): Promise<T> {
  return Promise.resolve(vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title }, task));
}

/** Throws CancellationError when the user dismissed a prompt. */
export function required<T>(value: T | undefined): T {
  if (value === undefined) throw new vscode.CancellationError();
  return value;
}
