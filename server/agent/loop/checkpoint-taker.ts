import type { DaemonClient } from '../../daemon-client';
import type { Sql } from '../../db/database';
import { chatLastSeq, type ChatRow } from '../chats/chat-store';
import { insertCheckpoint } from '../checkpoints/checkpoint-store';
import { snapshotWorkspace } from '../checkpoints/shadow-repo';
import type { ChatWriter } from '../events/chat-writer';

/**
 * Checkpoints of one turn: the workspace as it was before the first tool that may change it
 * (only if it differs from the last checkpoint), and as it is after the turn when it changed.
 */
export class CheckpointTaker {
  private baseline: Promise<void> | undefined;
  private touched = false;

  constructor(private readonly sql: Sql, private readonly client: DaemonClient, private readonly writer: ChatWriter, private readonly chat: ChatRow) {}

  /** Call before a write or execute tool runs. */
  async before(): Promise<void> {
    this.touched = true;
    this.baseline ??= this.take('Before the agent changed files');
    await this.baseline;
  }

  async after(): Promise<void> {
    if (this.touched) await this.take('After the agent\'s turn');
  }

  private async take(message: string): Promise<void> {
    const snapshot = await snapshotWorkspace(this.client, message);
    if (!snapshot.created) return;
    const seq = await this.writer.flush().then(() => this.lastSeq());
    const row = await insertCheckpoint(this.sql, { projectId: this.chat.projectId, chatId: this.chat.id, commit: snapshot.commit, message, files: snapshot.files, seq });
    await this.writer.emit({ type: 'checkpoint', checkpointId: row.id, commit: snapshot.commit, message, files: snapshot.files.slice(0, 200) });
  }

  private lastSeq(): Promise<number> {
    return chatLastSeq(this.sql, this.chat.id);
  }
}
