import * as vscode from 'vscode';
import { StoredSession } from './sign-in-flow';

const KEY = 'slipway.session';

/** The signed-in account in SecretStorage (validated on every read; anything unreadable counts as signed out). */
export class SessionStore implements vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  /** Fires when the stored session changes here or in another window. */
  readonly onDidChange = this.changed.event;
  private readonly watch: vscode.Disposable;

  constructor(private readonly secrets: vscode.SecretStorage) {
    this.watch = secrets.onDidChange((e) => {
      if (e.key === KEY) this.changed.fire();
    });
  }

  async get(): Promise<StoredSession | undefined> {
    const raw = await this.secrets.get(KEY);
    if (!raw) return undefined;
    try {
      const parsed = StoredSession.safeParse(JSON.parse(raw));
      return parsed.success ? parsed.data : undefined;
    } catch {
      return undefined;
    }
  }

  async set(session: StoredSession): Promise<void> {
    await this.secrets.store(KEY, JSON.stringify(session));
  }

  async clear(): Promise<void> {
    await this.secrets.delete(KEY);
  }

  dispose(): void {
    this.watch.dispose();
    this.changed.dispose();
  }
}
