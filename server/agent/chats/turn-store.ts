import { hostname } from 'node:os';
import type { ChatEvent, ChatEventBody, TurnStatus } from '../../../protocol/chat';
import type { Sql } from '../../db/database';
import { conflict } from '../../errors';
import type { ChatFeed } from '../events/chat-feed';

/**
 * A chat runs one turn at a time, owned by one server process. Claiming and finishing a turn
 * change the chat's state and append events in one transaction, so a client that sees `done`
 * can send the next prompt at once, and no event of the next turn precedes the last one's `done`.
 */
export async function claimTurn(sql: Sql, feed: ChatFeed, chatId: string, turnId: string, opening: ChatEventBody[]): Promise<ChatEvent[]> {
  const events = await sql.begin(async (tx) => {
    const [claimed] = await tx`
      UPDATE chats SET state = 'running', turn_id = ${turnId}, turn_owner = ${feed.origin}, turn_heartbeat_at = now()
      WHERE id = ${chatId} AND state <> 'running' RETURNING id`;
    if (!claimed) throw conflict('the agent is already working in this chat; wait for it to finish or cancel it');
    const out: ChatEvent[] = [];
    for (const body of opening) out.push(await feed.appendIn(tx, chatId, body));
    return out;
  });
  for (const event of events) feed.publish(chatId, event.seq, event);
  return events;
}

/** Ends the turn if this chat still runs it (a sweeper may have declared it interrupted already). */
export async function finishTurn(sql: Sql, feed: ChatFeed, chatId: string, turnId: string, status: TurnStatus, message: string | null): Promise<void> {
  const event = await sql.begin(async (tx) => {
    const [row] = await tx`
      UPDATE chats SET state = ${status === 'interrupted' ? 'interrupted' : 'idle'}, turn_id = NULL, turn_owner = NULL, turn_heartbeat_at = NULL
      WHERE id = ${chatId} AND turn_id = ${turnId} RETURNING id`;
    if (!row) return undefined;
    await tx`UPDATE agent_approvals SET status = 'expired' WHERE chat_id = ${chatId} AND status = 'pending'`;
    return feed.appendIn(tx, chatId, { type: 'done', turnId, status, message });
  });
  if (event) feed.publish(chatId, event.seq, event);
}

export async function heartbeat(sql: Sql, owner: string): Promise<void> {
  await sql`UPDATE chats SET turn_heartbeat_at = now() WHERE turn_owner = ${owner} AND state = 'running'`;
}

const INTERRUPTED = 'The server running this turn stopped (restart or crash) before it finished. Resume the chat to continue.';

/**
 * Turns whose owner is gone: its heartbeat is older than `staleSeconds`, or it was a process on
 * this machine that no longer exists. Each becomes `interrupted`, with a `done` event saying so.
 */
export async function sweepInterruptedTurns(sql: Sql, feed: ChatFeed, staleSeconds: number): Promise<number> {
  const candidates = await sql<{ id: string; turnId: string; turnOwner: string | null; stale: boolean }[]>`
    SELECT id, turn_id, turn_owner, turn_heartbeat_at < now() - make_interval(secs => ${staleSeconds}) AS stale FROM chats WHERE state = 'running'`;
  let swept = 0;
  for (const chat of candidates) {
    if (chat.turnOwner === feed.origin || !(chat.stale || deadLocalOwner(chat.turnOwner))) continue;
    const event = await sql.begin(async (tx) => {
      const [row] = await tx`
        UPDATE chats SET state = 'interrupted', turn_id = NULL, turn_owner = NULL, turn_heartbeat_at = NULL
        WHERE id = ${chat.id} AND state = 'running' AND turn_id = ${chat.turnId} RETURNING id`;
      if (!row) return undefined;
      await tx`UPDATE agent_approvals SET status = 'expired' WHERE chat_id = ${chat.id} AND status = 'pending'`;
      return feed.appendIn(tx, chat.id, { type: 'done', turnId: chat.turnId, status: 'interrupted', message: INTERRUPTED });
    });
    if (event) {
      feed.publish(chat.id, event.seq, event);
      swept++;
    }
  }
  return swept;
}

/** `host:pid:random` of a process on this machine that has exited. */
function deadLocalOwner(owner: string | null): boolean {
  const [host, pid] = owner?.split(':') ?? [];
  if (host !== hostname() || !pid || Number(pid) === process.pid) return false;
  try {
    process.kill(Number(pid), 0);
    return false;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'ESRCH';
  }
}
