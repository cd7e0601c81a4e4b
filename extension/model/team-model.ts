import * as vscode from 'vscode';
import type { ServerConnection } from '../connection/server-connection';
import { modelLabel, type ModelSettingsValue } from './model-form';

/** The model of the selected project's team, as the chat header shows it; reloaded on demand. */
export class TeamModelStatus implements vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChange = this.changed.event;
  teamId: string | undefined;
  settings: ModelSettingsValue | null = null;
  /** Why the settings could not be loaded. */
  problem: string | undefined;
  private loading = 0;
  private pending = false;

  constructor(private readonly connection: ServerConnection) {}

  get label(): string {
    if (this.pending) return 'loading…';
    return this.problem ? `model unknown (${this.problem})` : modelLabel(this.settings);
  }

  /** Shows `teamId`'s model (loads it when the team changed or `force`). */
  async follow(teamId: string | undefined, force = false): Promise<void> {
    if (teamId === this.teamId && !force) return;
    this.teamId = teamId;
    const ticket = ++this.loading;
    if (!teamId || !this.connection.state.signedIn) return this.set(null);
    this.pending = true;
    this.changed.fire();
    try {
      const settings = await this.connection.rest()('agent.model.get', { params: { teamId } });
      if (ticket === this.loading) this.set(settings);
    } catch (error) {
      if (ticket === this.loading) this.set(null, this.connection.explain(error).slice(0, 300));
    }
  }

  /** The answer of a PUT: shown at once (a load under way is dropped). */
  show(settings: ModelSettingsValue): void {
    ++this.loading;
    this.set(settings);
  }

  private set(settings: ModelSettingsValue | null, problem?: string): void {
    this.settings = settings;
    this.problem = problem;
    this.pending = false;
    this.changed.fire();
  }

  dispose(): void {
    this.changed.dispose();
  }
}
