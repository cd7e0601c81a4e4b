import type { AuthUser } from '../../auth/authenticate';
import { conflict } from '../../errors';
import { runningSandbox } from '../../access/sandbox-access';
import type { Services } from '../../services';
import type { AgentService } from '../agent-service';
import { chatState } from '../chats/chat-store';
import { checkpointAtCommit, insertCheckpoint, type checkpointById } from '../checkpoints/checkpoint-store';
import { restoreWorkspace, snapshotWorkspace } from '../checkpoints/shadow-repo';

type CheckpointRow = NonNullable<Awaited<ReturnType<typeof checkpointById>>>;

/**
 * Restores a checkpoint's files (the workspace as it is now is saved first, so the restore can be
 * undone; its id is returned) and, when asked and the checkpoint belongs to a chat, its conversation: the model
 * forgets what came after. Not while the agent works in that chat.
 */
export async function restoreCheckpoint(services: Pick<Services, 'sql' | 'daemons'>, agent: AgentService, user: AuthUser, checkpoint: CheckpointRow, conversation: boolean, paths?: readonly string[]): Promise<string | null> {
  const { sql } = services;
  if (checkpoint.chatId) {
    if ((await chatState(sql, checkpoint.chatId)) === 'running') throw conflict('the agent is working in this chat; cancel it before restoring a checkpoint');
  }
  const { client } = await runningSandbox(services, checkpoint.projectId);
  const backup = await snapshotWorkspace(client, 'Before restoring a checkpoint');
  let backupId: string | null;
  if (backup.created) {
    backupId = (await insertCheckpoint(sql, { projectId: checkpoint.projectId, chatId: checkpoint.chatId, commit: backup.commit, message: 'Before restoring a checkpoint', files: backup.files, seq: null })).id;
  } else {
    // Nothing changed since a checkpoint: that one is the way back.
    backupId = (await checkpointAtCommit(sql, checkpoint.projectId, backup.commit)) ?? null;
  }
  await restoreWorkspace(client, checkpoint.commit, paths);
  if (checkpoint.chatId) {
    const conversationSeq = conversation && !paths && checkpoint.seq !== null ? Number(checkpoint.seq) : null;
    await agent.feed.append(checkpoint.chatId, { type: 'restored', checkpointId: checkpoint.id, conversationSeq, ...(paths ? { paths: [...paths] } : {}), by: { id: user.id, name: user.email } });
  }
  return backupId;
}
