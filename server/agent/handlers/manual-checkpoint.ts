import type { AuthUser } from '../../auth/authenticate';
import { runningSandbox } from '../../access/sandbox-access';
import { conflict } from '../../errors';
import type { Services } from '../../services';
import type { AgentService } from '../agent-service';
import { chatLastSeq, type ChatRow } from '../chats/chat-store';
import { checkpointAtCommit, insertCheckpoint } from '../checkpoints/checkpoint-store';
import { snapshotWorkspace } from '../checkpoints/shadow-repo';

/**
 * `/checkpoint [message]`: the workspace as it is now, saved as a checkpoint of the chat (restorable
 * with its conversation up to here). Unchanged since the last checkpoint: that one is the answer,
 * and the chat says so. Not while the agent works in the chat (its own checkpoints are on the way).
 */
export async function takeCheckpoint(services: Pick<Services, 'sql' | 'daemons'>, agent: AgentService, user: AuthUser, chat: ChatRow, message: string | undefined): Promise<{ checkpointId: string | null; created: boolean }> {
  if (chat.state === 'running') throw conflict('the agent is working in this chat; checkpoints are taken when it changes files, or wait for it to finish');
  const { client } = await runningSandbox(services, chat.projectId);
  const text = message ?? `Checkpoint by ${user.email}`;
  const snapshot = await snapshotWorkspace(client, text);
  if (!snapshot.created) {
    await agent.feed.append(chat.id, { type: 'notice', message: 'Nothing changed since the last checkpoint, so no new one was taken.' });
    return { checkpointId: (await checkpointAtCommit(services.sql, chat.projectId, snapshot.commit)) ?? null, created: false };
  }
  const seq = await chatLastSeq(services.sql, chat.id);
  const row = await insertCheckpoint(services.sql, { projectId: chat.projectId, chatId: chat.id, commit: snapshot.commit, message: text, files: snapshot.files, seq });
  await agent.feed.append(chat.id, { type: 'checkpoint', checkpointId: row.id, commit: snapshot.commit, message: text, files: snapshot.files.slice(0, 200) });
  return { checkpointId: row.id, created: true };
}
